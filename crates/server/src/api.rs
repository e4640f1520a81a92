//! The JSON API, version 1: concepts, stories, search, health; errors as
//! `{"error": {"code", "message"}}` with a stable code; pagination by `limit` (1–100)
//! and `offset`. [`openapi`] describes exactly the routes [`routes`] serves.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use tongwen_store::{ConceptFilter, Dismissals, PairId, Stories, Termbase};
use tongwen_terms::termbase::ConceptState;

use crate::error::ServerError;
use crate::pages::{concept_view, lang_filter, search_query, SearchParams};
use crate::review::ReviewAction;
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
        .route("/concepts/{id}/approve", post(approve))
        .route("/concepts/{id}/reject", post(reject))
        .route("/concepts/{id}/deprecate", post(deprecate))
        .route("/concepts/{id}/edit", post(edit))
        .route("/concepts/{id}/merge", post(merge))
        .route("/stories", get(list_stories))
        .route("/stories/{id}", get(get_story))
        .route("/stories/{id}/beads", get(get_beads))
        .route("/terms", get(list_terms))
        .route("/search", get(search))
        .route("/dismissals", get(list_dismissals).post(create_dismissal))
        .route("/dismissals/{finding}", delete(delete_dismissal))
        .route("/openapi.json", get(|| async { Json(openapi()) }))
        .fallback(|| async { ServerError::NotFound("no such API route".into()) })
}

macro_rules! review_route {
    ($name:ident, $action:ident) => {
        async fn $name(
            State(state): Shared,
            headers: axum::http::HeaderMap,
            Path(id): Path<String>,
            body: axum::body::Bytes,
        ) -> Result<Json<Value>, ServerError> {
            crate::review::api_action(state, headers, id, ReviewAction::$action, body).await
        }
    };
}
review_route!(approve, Approve);
review_route!(reject, Reject);
review_route!(deprecate, Deprecate);
review_route!(edit, Edit);
review_route!(merge, Merge);

/// A finding an editor dismisses: its rule and its segment's texts, as a report
/// gives them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DismissalInput {
    rule: String,
    zh: String,
    en: String,
    reason: Option<String>,
    /// The finding id from the report; when given it must be the id of this rule and
    /// text.
    finding: Option<String>,
}

async fn create_dismissal(
    State(state): Shared,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ServerError> {
    let dismissal = state
        .with_store_write(move |store, _| {
            // Who asks comes first: a stranger learns nothing about the body.
            let user = crate::auth::token_user(store, &headers)?;
            let user = crate::auth::require_editor(user.as_ref())?.clone();
            let input: DismissalInput = serde_json::from_slice(&body).map_err(|e| {
                ServerError::BadRequest(format!("the body is not a dismissal: {e}"))
            })?;
            let rule = tongwen_qa::Rule::from_name(&input.rule).ok_or_else(|| {
                ServerError::BadRequest(format!(
                    "rule must be one of {}, not \"{}\"",
                    tongwen_qa::Rule::ALL.map(|r| r.name()).join(", "),
                    input.rule
                ))
            })?;
            if let Some(given) = &input.finding {
                let id = tongwen_qa::finding_id(rule, &input.zh, &input.en);
                if !given.eq_ignore_ascii_case(&id) {
                    return Err(ServerError::FindingMismatch(format!(
                        "finding {given} is not the {} finding of this text (that is {id})",
                        rule.name()
                    )));
                }
            }
            Ok(tongwen_app::check::dismiss_text(
                store,
                rule,
                &input.zh,
                &input.en,
                input.reason.as_deref().unwrap_or(""),
                &user.name,
            )?)
        })
        .await?;
    Ok(Json(json!(dismissal)))
}

async fn list_dismissals(
    State(state): Shared,
    headers: axum::http::HeaderMap,
) -> Result<Json<Value>, ServerError> {
    let items = state
        .with_store(move |store, _| {
            let user = crate::auth::token_user(store, &headers)?;
            crate::auth::require_editor(user.as_ref())?;
            Ok(store.dismissals()?)
        })
        .await?;
    Ok(Json(json!({ "items": items })))
}

async fn delete_dismissal(
    State(state): Shared,
    headers: axum::http::HeaderMap,
    Path(finding): Path<String>,
) -> Result<Json<Value>, ServerError> {
    let removed = state
        .with_store_write(move |store, _| {
            let user = crate::auth::token_user(store, &headers)?;
            crate::auth::require_editor(user.as_ref())?;
            Ok(store.undismiss(&finding.to_ascii_lowercase())?)
        })
        .await?;
    if !removed {
        return Err(ServerError::NotFound("no dismissal of this finding".into()));
    }
    Ok(Json(json!({ "removed": true })))
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

/// A row id from a path: a positive 64-bit integer.
pub(crate) fn id_of(text: &str, what: &str) -> Result<i64, ServerError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id >= 1)
        .ok_or_else(|| {
            ServerError::BadRequest(format!(
                "{what} id must be a whole number from 1 to {}, not \"{text}\"",
                i64::MAX
            ))
        })
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
        None => None,
        Some(name) => Some(ConceptState::parse(name).ok_or_else(|| {
            ServerError::BadRequest(format!(
                "state must be candidate, approved, rejected or merged, not \"{name}\""
            ))
        })?),
    };
    if params.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ServerError::BadRequest(
            "q has at most 200 characters".into(),
        ));
    }
    let text = params
        .q
        .as_deref()
        .map(crate::trimmed)
        .filter(|q| !q.is_empty())
        .map(str::to_string);
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
    if crate::trimmed(&text).is_empty() || text.chars().count() > 200 {
        return Err(ServerError::BadRequest(
            "q is required, at most 200 characters".into(),
        ));
    }
    let lang = lang_filter(params.lang.as_deref())?;
    let rows = state
        .with_store(move |store, _| {
            Ok(store.find_terms(crate::trimmed(&text), lang, limit, offset)?)
        })
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
    if crate::trimmed(&text).is_empty() {
        return Err(ServerError::BadRequest("q is required".into()));
    }
    let search_params = SearchParams {
        q: text,
        lang: params.lang,
        page: None,
        source: params.source,
    };
    let query = search_query(&search_params, limit, offset)?;
    let hits = state.search(query).await?;
    Ok(Json(
        json!({ "items": hits, "limit": limit, "offset": offset }),
    ))
}

/// The OpenAPI 3.1 description of the routes above, with the limits the server
/// enforces: a request within them is answered as documented, and every error,
/// whatever its status, is the `Error` object.
pub fn openapi() -> Value {
    let paging = json!([
        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 20 } },
        { "name": "offset", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 1_000_000, "default": 0 } }
    ]);
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64", "minimum": 1, "maximum": i64::MAX } });
    let error = json!({ "description": "An error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let ok = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": { "type": "object" } } } });
    let with_paging = |extra: Vec<Value>| {
        let mut all = extra;
        all.extend(paging.as_array().cloned().unwrap_or_default());
        Value::Array(all)
    };
    let query_text =
        json!({ "type": "string", "minLength": 1, "maxLength": 200, "pattern": "[^\\s\\u0085]" });
    let version = json!({ "type": ["integer", "null"], "format": "int64", "minimum": 1, "maximum": i64::MAX, "description": "The version the decision was made on; a concept changed since answers 409. Without it (or null) the action applies to whatever version is current." });
    // Optional fields may also be null, which counts as absent.
    let term_lang =
        json!({ "type": ["string", "null"], "enum": ["zh", "en", null], "default": "en" });
    // Terms hold no control characters (the termbase refuses them).
    let no_controls = json!({ "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f-\\u009f]*$" });
    let term_text = json!({ "type": "string", "minLength": 1, "maxLength": 200, "allOf": [{ "pattern": "[^\\s\\u0085]" }, no_controls], "description": "The term" });
    let review_operation = |summary: &str, body: &str| {
        let required = matches!(body, "Deprecate" | "Edit" | "Merge");
        json!({ "post": {
            "summary": format!("{summary} (an editor's API token)"),
            "security": [{ "token": [] }],
            "parameters": [id.clone()],
            "requestBody": { "required": required, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{body}") } } } },
            "responses": { "200": ok("The concept after the action"), "401": error.clone(), "403": error.clone(), "404": error.clone(), "409": error.clone(), "503": error.clone(), "default": error.clone() }
        } })
    };
    let lang = json!({ "name": "lang", "in": "query", "schema": { "type": "string", "enum": ["zh", "en", "any"] } });
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Tongwen API", "version": "1", "description": "Concepts, stories and the bilingual concordance of a Tongwen store. Every error, whatever its status, is an `Error` object; 503 and 429 answers carry `Retry-After`." },
        "servers": [{ "url": "/api/v1" }],
        "paths": {
            "/concepts": { "get": {
                "summary": "List concepts, approved first",
                "parameters": with_paging(vec![
                    json!({ "name": "state", "in": "query", "schema": { "type": "string", "enum": ["candidate", "approved", "rejected", "merged"] } }),
                    json!({ "name": "q", "in": "query", "schema": { "type": "string", "maxLength": 200 }, "description": "Only concepts with a term containing this text (blank: all)" })
                ]),
                "responses": { "200": ok("A page of concepts"), "default": error }
            } },
            "/concepts/{id}": { "get": {
                "summary": "A concept with evidence, timeline and related concepts",
                "parameters": [id],
                "responses": { "200": ok("The concept"), "404": error, "default": error }
            } },
            "/concepts/{id}/approve": review_operation("Approve a concept, choosing its preferred English rendering", "Approve"),
            "/concepts/{id}/reject": review_operation("Reject a concept", "Reject"),
            "/concepts/{id}/deprecate": review_operation("Mark a term of a concept deprecated", "Deprecate"),
            "/concepts/{id}/edit": review_operation("Add a term to a concept, or set a term's status", "Edit"),
            "/concepts/{id}/merge": review_operation("Merge a concept into another", "Merge"),
            "/stories": { "get": {
                "summary": "List stories, newest first",
                "parameters": paging,
                "responses": { "200": ok("A page of stories"), "default": error }
            } },
            "/stories/{id}": { "get": {
                "summary": "A story bead by bead",
                "parameters": [id],
                "responses": { "200": ok("The story"), "404": error, "default": error }
            } },
            "/stories/{id}/beads": { "get": {
                "summary": "The beads of a story: sentence lists per side, score, review flag",
                "parameters": [id],
                "responses": { "200": ok("The beads"), "404": error, "default": error }
            } },
            "/terms": { "get": {
                "summary": "Terms containing a text, with their concepts",
                "parameters": with_paging(vec![
                    json!({ "name": "q", "in": "query", "required": true, "schema": query_text }),
                    lang.clone()
                ]),
                "responses": { "200": ok("A page of terms"), "default": error }
            } },
            "/search": { "get": {
                "summary": "Search the bilingual concordance",
                "parameters": with_paging(vec![
                    json!({ "name": "q", "in": "query", "required": true, "schema": query_text }),
                    lang,
                    json!({ "name": "source", "in": "query", "schema": { "type": "string", "maxLength": 200 } })
                ]),
                "responses": { "200": ok("Concordance lines with highlights"), "default": error }
            } },
            "/dismissals": {
                "get": {
                    "summary": "Check findings dismissed as not an error, newest first (an editor's API token)",
                    "security": [{ "token": [] }],
                    "responses": { "200": ok("The dismissals"), "401": error.clone(), "403": error.clone(), "default": error.clone() }
                },
                "post": {
                    "summary": "Dismiss a check finding as not an error: not reported again for the same text (an editor's API token)",
                    "security": [{ "token": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Dismiss" } } } },
                    "responses": { "200": ok("The dismissal"), "400": error.clone(), "401": error.clone(), "403": error.clone(), "409": error.clone(), "503": error.clone(), "default": error.clone() }
                }
            },
            "/dismissals/{finding}": { "delete": {
                "summary": "Withdraw a dismissal (an editor's API token)",
                "security": [{ "token": [] }],
                "parameters": [json!({ "name": "finding", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9a-fA-F]{16}$" } })],
                "responses": { "200": ok("Withdrawn"), "401": error.clone(), "403": error.clone(), "404": error.clone(), "503": error.clone(), "default": error.clone() }
            } },
            "/openapi.json": { "get": { "summary": "This document", "responses": { "200": ok("OpenAPI 3.1") } } }
        },
        "components": {
          "securitySchemes": { "token": { "type": "http", "scheme": "bearer", "description": "An API token from `tongwen user token NAME`" } },
          "schemas": {
          "Approve": { "type": "object", "properties": { "version": version, "prefer": { "type": ["string", "null"], "maxLength": 200, "allOf": [no_controls], "description": "The preferred English rendering (added if the concept lacks it); blank or absent keeps the current one" } } },
          "Reject": { "type": "object", "properties": { "version": version } },
          "Deprecate": { "type": "object", "required": ["text"], "properties": { "version": version, "lang": term_lang, "text": term_text } },
          "Edit": { "type": "object", "required": ["text"], "properties": { "version": version, "lang": term_lang, "text": term_text, "status": { "type": ["string", "null"], "enum": ["preferred", "admitted", "deprecated", null], "default": "admitted" } } },
          "Merge": { "type": "object", "required": ["into"], "properties": { "version": version, "into": { "type": "string", "pattern": "^[1-9][0-9]{0,17}$", "description": "Id of the concept to merge this one into" } } },
          "Dismiss": { "type": "object", "additionalProperties": false, "required": ["rule", "zh", "en"], "properties": {
            "rule": { "type": "string", "enum": ["missing-term", "deprecated-term", "number-mismatch", "name-mismatch", "untranslated", "empty-segment"] },
            "zh": { "type": "string", "maxLength": 4000, "description": "The segment's Chinese side, as the report gives it" },
            "en": { "type": "string", "maxLength": 4000, "description": "The segment's English side" },
            "reason": { "type": ["string", "null"], "maxLength": 1000 },
            "finding": { "type": ["string", "null"], "pattern": "^[0-9a-fA-F]{16}$", "description": "The finding id from the report; one that is not the id of this rule and text answers 409 (finding_mismatch)" }
          } },
          "Error": {
            "type": "object",
            "required": ["error"],
            "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                "code": { "type": "string", "enum": ["not_found", "bad_request", "unauthorized", "forbidden", "method_not_allowed", "too_large", "timeout", "stale_version", "not_allowed_in_state", "finding_mismatch", "too_many_attempts", "busy", "read_only", "internal"] },
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
