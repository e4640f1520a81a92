//! The JSON API, version 1: concepts, stories, search, health; errors as
//! `{"error": {"code", "message"}}` with a stable code; pagination by `limit` (1–100)
//! and `offset`. [`openapi`] describes exactly the routes [`routes`] serves.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use tongwen_store::{ConceptFilter, PairId, Stories, Termbase};
use tongwen_terms::termbase::ConceptState;

use crate::error::ServerError;
use crate::pages::{concept_view, lang_filter, search_query, SearchParams};
use crate::state::AppState;

type Shared = State<Arc<AppState>>;

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut response = (
            status,
            Json(json!({ "error": { "code": code, "message": self.public_message() } })),
        )
            .into_response();
        if let Some(seconds) = self.retry_after() {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

/// The API routes, mounted under `/api/v1`.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/concepts", get(list_concepts))
        .route("/concepts/{id}", get(get_concept))
        .route("/concepts/{id}/{action}", post(crate::review::api_action))
        .route("/stories", get(list_stories))
        .route("/stories/{id}", get(get_story))
        .route("/stories/{id}/beads", get(get_beads))
        .route("/terms", get(list_terms))
        .route("/search", get(search))
        .route("/openapi.json", get(|| async { Json(openapi()) }))
        .fallback(|| async { ServerError::NotFound("no such API route".into()) })
}

/// Paging parameters.
#[derive(Debug, Deserialize)]
pub struct Paging {
    limit: Option<usize>,
    offset: Option<usize>,
}

impl Paging {
    fn checked(&self) -> Result<(usize, usize), ServerError> {
        let limit = self.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(ServerError::BadRequest(format!(
                "limit must be between 1 and 100, not {limit}"
            )));
        }
        let offset = self.offset.unwrap_or(0);
        if offset > 1_000_000 {
            return Err(ServerError::BadRequest(
                "offset must be at most 1000000".into(),
            ));
        }
        Ok((limit, offset))
    }
}

fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ServerError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| ServerError::BadRequest(format!("bad query string: {}", e.body_text())))
}

fn id_of(text: &str, what: &str) -> Result<i64, ServerError> {
    text.parse::<i64>()
        .map_err(|_| ServerError::BadRequest(format!("{what} id must be a number, not \"{text}\"")))
}

/// Query of the concept listing.
#[derive(Debug, Deserialize)]
pub struct ConceptParams {
    state: Option<String>,
    q: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

async fn list_concepts(
    State(state): Shared,
    params: Result<Query<ConceptParams>, QueryRejection>,
) -> Result<Json<Value>, ServerError> {
    let params = query(params)?;
    let (limit, offset) = Paging {
        limit: params.limit,
        offset: params.offset,
    }
    .checked()?;
    let filter_state = match params.state.as_deref() {
        None | Some("") => None,
        Some(name) => Some(ConceptState::parse(name).ok_or_else(|| {
            ServerError::BadRequest(format!(
                "state must be candidate, approved, rejected or merged, not \"{name}\""
            ))
        })?),
    };
    let text = params.q.clone().filter(|q| !q.trim().is_empty());
    let rows = state
        .with_store(move |store, _| {
            Ok(store.concepts(&ConceptFilter {
                state: filter_state,
                text,
                limit: Some(limit),
                offset,
            })?)
        })
        .await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "state": r.concept.state,
                "version": r.version,
                "zh": r.concept.headword("zh").map(|t| &t.text),
                "en": r.concept.headword("en").map(|t| &t.text),
                "score": r.concept.mined.as_ref().map(|m| m.score),
                "frequency": r.concept.mined.as_ref().map(|m| m.frequency),
                "url": format!("/concepts/{}", r.id),
            })
        })
        .collect();
    Ok(Json(
        json!({ "items": items, "limit": limit, "offset": offset }),
    ))
}

async fn get_concept(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Json<Value>, ServerError> {
    let id = id_of(&id, "concept")?;
    let view = state
        .with_store(move |store, state| concept_view(store, state, id, 50))
        .await?;
    Ok(Json(json!({
        "id": view.row.id,
        "version": view.row.version,
        "merged_into": view.row.merged_into,
        "updated_at": view.row.updated_at,
        "updated_by": view.row.updated_by,
        "concept": view.row.concept,
        "evidence": view.evidence,
        "evidence_total": view.evidence_total,
        "timeline": view.timeline.iter().map(|(month, count)| json!({ "month": month, "count": count })).collect::<Vec<_>>(),
        "related": view.related.iter().map(|(id, state, zh, en)| json!({ "id": id, "state": state, "zh": zh, "en": en })).collect::<Vec<_>>(),
    })))
}

async fn list_stories(
    State(state): Shared,
    params: Result<Query<Paging>, QueryRejection>,
) -> Result<Json<Value>, ServerError> {
    let (limit, offset) = query(params)?.checked()?;
    let (rows, total) = state
        .with_store(move |store, _| Ok((store.stories(limit, offset)?, store.story_count()?)))
        .await?;
    Ok(Json(
        json!({ "items": rows, "limit": limit, "offset": offset, "total": total }),
    ))
}

async fn get_story(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Json<Value>, ServerError> {
    let id = id_of(&id, "story")?;
    let story = state
        .with_store(move |store, _| Ok(store.story(PairId(id))?))
        .await?;
    Ok(Json(json!(story)))
}

async fn get_beads(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Json<Value>, ServerError> {
    let id = id_of(&id, "story")?;
    let story = state
        .with_store(move |store, _| Ok(store.story(PairId(id))?))
        .await?;
    Ok(Json(json!({ "story": id, "items": story.beads })))
}

/// Query of the term search.
#[derive(Debug, Deserialize)]
pub struct TermParams {
    q: Option<String>,
    lang: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

async fn list_terms(
    State(state): Shared,
    params: Result<Query<TermParams>, QueryRejection>,
) -> Result<Json<Value>, ServerError> {
    let params = query(params)?;
    let (limit, offset) = Paging {
        limit: params.limit,
        offset: params.offset,
    }
    .checked()?;
    let text = params.q.unwrap_or_default();
    if text.trim().is_empty() || text.chars().count() > 200 {
        return Err(ServerError::BadRequest(
            "q is required, at most 200 characters".into(),
        ));
    }
    let lang = lang_filter(params.lang.as_deref())?;
    let rows = state
        .with_store(move |store, _| Ok(store.find_terms(text.trim(), lang, limit, offset)?))
        .await?;
    let items: Vec<Value> = rows
        .into_iter()
        .map(|m| json!({ "concept": m.concept, "state": m.state, "lang": m.lang, "term": m.term, "status": m.status, "url": format!("/concepts/{}", m.concept) }))
        .collect();
    Ok(Json(
        json!({ "items": items, "limit": limit, "offset": offset }),
    ))
}

/// Query of the search endpoint.
#[derive(Debug, Deserialize)]
pub struct SearchApiParams {
    q: Option<String>,
    lang: Option<String>,
    source: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

async fn search(
    State(state): Shared,
    params: Result<Query<SearchApiParams>, QueryRejection>,
) -> Result<Json<Value>, ServerError> {
    let params = query(params)?;
    let (limit, offset) = Paging {
        limit: params.limit,
        offset: params.offset,
    }
    .checked()?;
    let text = params.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ServerError::BadRequest("q is required".into()));
    }
    let search_params = SearchParams {
        q: text,
        lang: params.lang,
        page: None,
        source: params.source,
    };
    let query = search_query(&search_params, limit, offset)?;
    let state = Arc::clone(&state);
    let hits = tokio::task::spawn_blocking(move || state.index.search(&query))
        .await
        .map_err(|e| ServerError::Internal(e.to_string()))??;
    Ok(Json(
        json!({ "items": hits, "limit": limit, "offset": offset }),
    ))
}

/// The OpenAPI 3.1 description of the routes above.
pub fn openapi() -> Value {
    let paging = json!([
        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 20 } },
        { "name": "offset", "in": "query", "schema": { "type": "integer", "minimum": 0, "default": 0 } }
    ]);
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let error = json!({ "description": "An error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let ok = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": { "type": "object" } } } });
    let with_paging = |extra: Vec<Value>| {
        let mut all = extra;
        all.extend(paging.as_array().cloned().unwrap_or_default());
        Value::Array(all)
    };
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Tongwen API", "version": "1", "description": "Concepts, stories and the bilingual concordance of a Tongwen store." },
        "servers": [{ "url": "/api/v1" }],
        "paths": {
            "/concepts": { "get": {
                "summary": "List concepts, approved first",
                "parameters": with_paging(vec![
                    json!({ "name": "state", "in": "query", "schema": { "type": "string", "enum": ["candidate", "approved", "rejected", "merged"] } }),
                    json!({ "name": "q", "in": "query", "schema": { "type": "string" }, "description": "Only concepts with a term containing this text" })
                ]),
                "responses": { "200": ok("A page of concepts"), "400": error }
            } },
            "/concepts/{id}": { "get": {
                "summary": "A concept with evidence, timeline and related concepts",
                "parameters": [id],
                "responses": { "200": ok("The concept"), "400": error, "404": error }
            } },
            "/concepts/{id}/{action}": { "post": {
                "summary": "Review a concept: approve, reject, deprecate, edit or merge (editors' API token)",
                "security": [{ "token": [] }],
                "parameters": [id, { "name": "action", "in": "path", "required": true, "schema": { "type": "string", "enum": ["approve", "reject", "deprecate", "edit", "merge"] } }],
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Action" } } } },
                "responses": { "200": ok("The concept after the action"), "400": error, "401": error, "403": error, "404": error, "409": error }
            } },
            "/stories": { "get": {
                "summary": "List stories, newest first",
                "parameters": paging,
                "responses": { "200": ok("A page of stories"), "400": error }
            } },
            "/stories/{id}": { "get": {
                "summary": "A story bead by bead",
                "parameters": [id],
                "responses": { "200": ok("The story"), "400": error, "404": error }
            } },
            "/stories/{id}/beads": { "get": {
                "summary": "The beads of a story: sentence lists per side, score, review flag",
                "parameters": [id],
                "responses": { "200": ok("The beads"), "400": error, "404": error }
            } },
            "/terms": { "get": {
                "summary": "Terms containing a text, with their concepts",
                "parameters": with_paging(vec![
                    json!({ "name": "q", "in": "query", "required": true, "schema": { "type": "string", "maxLength": 200 } }),
                    json!({ "name": "lang", "in": "query", "schema": { "type": "string", "enum": ["zh", "en", "any"] } })
                ]),
                "responses": { "200": ok("A page of terms"), "400": error }
            } },
            "/search": { "get": {
                "summary": "Search the bilingual concordance",
                "parameters": with_paging(vec![
                    json!({ "name": "q", "in": "query", "required": true, "schema": { "type": "string", "maxLength": 200 } }),
                    json!({ "name": "lang", "in": "query", "schema": { "type": "string", "enum": ["zh", "en", "any"] } }),
                    json!({ "name": "source", "in": "query", "schema": { "type": "string" } })
                ]),
                "responses": { "200": ok("Concordance lines with highlights"), "400": error }
            } },
            "/openapi.json": { "get": { "summary": "This document", "responses": { "200": ok("OpenAPI 3.1") } } }
        },
        "components": {
          "securitySchemes": { "token": { "type": "http", "scheme": "bearer", "description": "An API token from `tongwen user token NAME`" } },
          "schemas": {
          "Action": { "type": "object", "properties": {
                "version": { "type": "integer", "description": "The version the decision was made on; a concept changed since answers 409. Without it the action applies to whatever version is current." },
                "prefer": { "type": "string", "description": "approve: the preferred English rendering" },
                "into": { "type": "string", "description": "merge: id of the concept to merge into" },
                "lang": { "type": "string", "enum": ["zh", "en"] },
                "text": { "type": "string", "description": "deprecate, edit: the term" },
                "status": { "type": "string", "enum": ["preferred", "admitted", "deprecated"] }
          } },
          "Error": {
            "type": "object",
            "required": ["error"],
            "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                "code": { "type": "string", "enum": ["not_found", "bad_request", "unauthorized", "forbidden", "stale_version", "not_allowed_in_state", "too_many_attempts", "internal"] },
                "message": { "type": "string" }
            } } }
        } } }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_documented_path_is_a_route_and_back() {
        let document = super::openapi();
        let documented: Vec<&str> = document["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let source = include_str!("api.rs");
        let routed: Vec<&str> = source
            .lines()
            .filter_map(|l| l.trim().strip_prefix(".route(\""))
            .filter_map(|l| l.split('"').next())
            .collect();
        let mut a = documented.clone();
        let mut b = routed.clone();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }
}
