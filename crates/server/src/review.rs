//! Logging in and out, the editors' review queue, and the write side of the API.
//! Every write names the concept version it was made on; a concept changed since is
//! refused and shown again with who changed it, so no decision is silently lost.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use axum::{Form, Json};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::json;
use tongwen_store::{
    account_name, Accounts, ConceptFilter, ConceptRow, Session, SqliteStore, Termbase, User,
};
use tongwen_terms::termbase::{ConceptState, TermStatus};

use crate::auth::{
    self, require_editor, same_secret, secret_hash, LOGIN_COOKIE, SESSION_COOKIE, SESSION_SECONDS,
};
use crate::error::ServerError;
use crate::i18n::{Key, Ui};
use crate::pages::layout;
use crate::state::AppState;
use crate::PeerAddr;

type Shared = State<Arc<AppState>>;

fn html_response(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

fn message_page(ui: Ui, status: StatusCode, title: &str, message: &str) -> Response {
    html_response(
        status,
        layout(
            ui,
            title,
            "",
            html! { h1 { (title) } p.error { (message) } },
        ),
    )
}

/// Query of `/login`.
#[derive(Debug, Deserialize, Default)]
pub struct LoginQuery {
    failed: Option<u8>,
}

fn login_form(ui: Ui, token: &str, failed: bool) -> Markup {
    layout(
        ui,
        ui.t(Key::LogIn),
        "",
        html! {
            h1 { (ui.t(Key::LogIn)) }
            @if failed { p.error role="alert" { (ui.t(Key::LoginFailed)) } }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(token);
                p { label for="name" { (ui.t(Key::UserName)) } br; input #name type="text" name="name" autocomplete="username" required; }
                p { label for="password" { (ui.t(Key::Password)) } br; input #password type="password" name="password" autocomplete="current-password" required; }
                p { button type="submit" { (ui.t(Key::LogIn)) } }
            }
        },
    )
}

/// `GET /login`: the form, tied to this browser by a cookie (login CSRF).
pub async fn login_page(
    State(state): Shared,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    let ui = Ui::from_headers(&headers);
    let token = match auth::new_secret() {
        Ok(token) => token,
        Err(e) => {
            return message_page(
                ui,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Error",
                &e.public_message(),
            )
        }
    };
    (
        [(
            header::SET_COOKIE,
            format!(
                "{LOGIN_COOKIE}={token}; Path=/login; {}; Max-Age=1800",
                state.cookie_attributes()
            ),
        )],
        Html(login_form(ui, &token, query.failed.is_some()).into_string()),
    )
        .into_response()
}

/// Fields of the login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    csrf: String,
}

/// `POST /login`.
pub async fn login(
    State(state): Shared,
    headers: HeaderMap,
    peer: Option<Extension<PeerAddr>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let ui = Ui::from_headers(&headers);
    let expected = auth::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &form.csrf) {
        return message_page(
            ui,
            StatusCode::FORBIDDEN,
            ui.t(Key::LogIn),
            ui.t(Key::FormExpired),
        );
    }
    let client = auth::client_address(&headers, peer.map(|p| p.0 .0), state.forwarded_for);
    let attempt = match state.limiter.attempt(&form.name, client) {
        Ok(attempt) => attempt,
        Err(refused) => {
            let error = ServerError::TooManyAttempts(refused.retry_after);
            let mut response = message_page(
                ui,
                StatusCode::TOO_MANY_REQUESTS,
                ui.t(Key::LogIn),
                &error.to_string(),
            );
            if let Some(seconds) = error.retry_after() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
            }
            return response;
        }
    };
    let name = account_name(&form.name).to_string();
    let password = form.password;
    let found = state
        .with_store(move |store, _| Ok(store.user_with_hash(&form.name)?))
        .await;
    let checked = match found {
        Ok(found) => {
            let (user, hash) = found.map_or((None, None), |(user, hash)| (Some(user), Some(hash)));
            state
                .passwords
                .check(password, hash)
                .await
                .map(|matches| user.filter(|_| matches))
        }
        Err(e) => Err(e),
    };
    let result = match checked {
        Ok(Some(user)) => {
            state
                .with_store_write(move |store, _| {
                    let (token, csrf) = (auth::new_secret()?, auth::new_secret()?);
                    store.create_session(
                        user.id,
                        &secret_hash(&token),
                        &csrf,
                        auth::now() + SESSION_SECONDS,
                    )?;
                    Ok(Some((user, token)))
                })
                .await
        }
        other => other.map(|_| None),
    };
    match result {
        Ok(Some((user, token))) => {
            state.limiter.succeeded(attempt);
            tracing::info!(user = %user.name, "logged in");
            (
                StatusCode::SEE_OTHER,
                [
                    (
                        header::SET_COOKIE,
                        format!(
                            "{SESSION_COOKIE}={token}; Path=/; {}; Max-Age={SESSION_SECONDS}",
                            state.cookie_attributes()
                        ),
                    ),
                    (
                        header::LOCATION,
                        if user.role >= tongwen_store::Role::Editor {
                            "/review".into()
                        } else {
                            "/".into()
                        },
                    ),
                ],
            )
                .into_response()
        }
        Ok(None) => {
            tracing::warn!(user = %printable_name(&name), "failed login");
            Redirect::to("/login?failed=1").into_response()
        }
        Err(e) => crate::pages::error_page(ui, &e),
    }
}

/// A typed login name for the log: short, and without control characters.
fn printable_name(name: &str) -> String {
    let mut shown: String = tongwen_text::strip_stray_controls(name)
        .chars()
        .take(64)
        .collect();
    if name.chars().count() > 64 {
        shown.push('…');
    }
    shown
}

/// Fields of forms that only carry the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /logout`. The session ends on the server and the cookie is cleared together:
/// a form from another session (or none) is refused and changes neither, so a
/// browser is never shown as logged out while its session lives on.
pub async fn logout(
    State(state): Shared,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let ui = Ui::from_headers(&headers);
    let token = auth::cookie(&headers, SESSION_COOKIE).unwrap_or_default();
    let result = state
        .with_store_write(move |store, _| {
            let Some(session) = auth::session_of(store, &headers)? else {
                return Ok(None);
            };
            if !same_secret(&session.csrf, &form.csrf) {
                return Ok(Some(session));
            }
            store.delete_session(&secret_hash(&token))?;
            Ok(None)
        })
        .await;
    match result {
        Ok(None) => (
            StatusCode::SEE_OTHER,
            [
                (
                    header::SET_COOKIE,
                    format!(
                        "{SESSION_COOKIE}=; Path=/; {}; Max-Age=0",
                        state.cookie_attributes()
                    ),
                ),
                (header::LOCATION, "/".to_string()),
            ],
        )
            .into_response(),
        Ok(Some(session)) => html_response(
            StatusCode::FORBIDDEN,
            layout(
                ui,
                ui.t(Key::LogOut),
                "",
                html! {
                    h1 { (ui.t(Key::LogOut)) }
                    p.error { (ui.t(Key::FormExpired)) }
                    form method="post" action="/logout" {
                        input type="hidden" name="csrf" value=(session.csrf);
                        button type="submit" { (ui.t(Key::LogOut)) }
                    }
                },
            ),
        ),
        Err(e) => crate::pages::error_page(ui, &e),
    }
}

/// A review or API action on a concept.
#[derive(Debug, Deserialize, Default)]
pub struct ActionInput {
    /// `approve`, `reject`, `deprecate`, `edit`, `merge` (from the form; the API
    /// takes it from the path).
    #[serde(default)]
    pub action: Option<String>,
    /// The version the decision was made on.
    #[serde(default, deserialize_with = "whole_number")]
    pub version: Option<i64>,
    /// approve: the preferred English rendering.
    pub prefer: Option<String>,
    /// merge: the concept to merge this one into.
    pub into: Option<String>,
    /// deprecate, edit: the term's language (`zh` or `en`).
    pub lang: Option<String>,
    /// deprecate, edit: the term.
    pub text: Option<String>,
    /// edit: the term's status.
    pub status: Option<String>,
    /// Forms: the session's CSRF token.
    pub csrf: Option<String>,
}

/// A version as JSON writes whole numbers: `3`, or `3.0` (JSON has one number type,
/// and some clients write every number with a fraction); a form sends it as text.
fn whole_number<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    use serde::de::Error;
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    let number = match &value {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::Number(n)) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                .map(|f| f as i64)
        }),
        Some(serde_json::Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    match number {
        Some(version) if version >= 1 => Ok(Some(version)),
        _ => Err(D::Error::custom(format!(
            "version must be a whole number from 1, not {}",
            value.map_or_else(String::new, |v| v.to_string())
        ))),
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(crate::trimmed)
        .filter(|v| !v.is_empty())
}

/// What an editor can do to a concept from the review queue or the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    /// Approve, optionally choosing the preferred English rendering.
    Approve,
    /// Reject.
    Reject,
    /// Mark a term deprecated.
    Deprecate,
    /// Add a term, or set a term's status.
    Edit,
    /// Merge into another concept.
    Merge,
}

impl ReviewAction {
    /// Every action, in the order forms show them.
    pub const ALL: [ReviewAction; 5] = [
        ReviewAction::Approve,
        ReviewAction::Reject,
        ReviewAction::Deprecate,
        ReviewAction::Edit,
        ReviewAction::Merge,
    ];

    /// The name forms, routes and the audit log use.
    pub fn name(self) -> &'static str {
        match self {
            ReviewAction::Approve => "approve",
            ReviewAction::Reject => "reject",
            ReviewAction::Deprecate => "deprecate",
            ReviewAction::Edit => "edit",
            ReviewAction::Merge => "merge",
        }
    }

    /// The action of a name.
    pub fn parse(name: &str) -> Result<ReviewAction, ServerError> {
        ReviewAction::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                ServerError::BadRequest(format!(
                    "unknown action \"{name}\": approve, reject, deprecate, edit or merge"
                ))
            })
    }
}

/// Applies an action as `user`; returns the concept after it.
fn apply(
    store: &mut SqliteStore,
    id: i64,
    action: ReviewAction,
    input: &ActionInput,
    user: &User,
) -> Result<ConceptRow, ServerError> {
    let actor = user.name.as_str();
    let version = input.version;
    for (field, value) in [("prefer", &input.prefer), ("text", &input.text)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 200) {
            return Err(ServerError::BadRequest(format!(
                "{field} has at most 200 characters"
            )));
        }
    }
    let lang = || -> Result<String, ServerError> {
        match input.lang.as_deref().unwrap_or("en") {
            lang @ ("zh" | "en") => Ok(lang.to_string()),
            other => Err(ServerError::BadRequest(format!(
                "lang must be zh or en, not \"{other}\""
            ))),
        }
    };
    let text = || {
        non_empty(&input.text)
            .map(str::to_string)
            .ok_or_else(|| ServerError::BadRequest("text is required".into()))
    };
    let name = action.name();
    let row = match action {
        ReviewAction::Approve => {
            let prefer = non_empty(&input.prefer).map(str::to_string);
            store.update_concept(id, version, actor, name, &mut |c| {
                c.approve(prefer.as_deref())
            })?
        }
        ReviewAction::Reject => {
            store.update_concept(id, version, actor, name, &mut |c| c.reject())?
        }
        ReviewAction::Deprecate => {
            let (lang, text) = (lang()?, text()?);
            store.update_concept(id, version, actor, name, &mut |c| c.deprecate(&lang, &text))?
        }
        ReviewAction::Edit => {
            let (lang, text) = (lang()?, text()?);
            let status = match input.status.as_deref() {
                Some(s) => TermStatus::parse(s)
                    .ok_or_else(|| ServerError::BadRequest(format!("unknown status \"{s}\"")))?,
                None => TermStatus::Admitted,
            };
            store.update_concept(id, version, actor, name, &mut |c| {
                c.set_status(&lang, &text, status)
            })?
        }
        ReviewAction::Merge => {
            let into = input.into.as_deref().ok_or_else(|| {
                ServerError::BadRequest("into is required: the concept to merge into".into())
            })?;
            let well_formed = into.len() <= 18
                && into.starts_with(|c: char| ('1'..='9').contains(&c))
                && into.chars().all(|c| c.is_ascii_digit());
            let into = into
                .parse::<i64>()
                .ok()
                .filter(|_| well_formed)
                .ok_or_else(|| {
                    ServerError::BadRequest(format!("into must be a concept id, not \"{into}\""))
                })?;
            store.merge_concepts((into, None), (id, version), actor)?
        }
    };
    Ok(row)
}

/// `POST /api/v1/concepts/{id}/{action}`, JSON body, bearer token of an editor.
pub async fn api_action(
    state: Arc<AppState>,
    headers: HeaderMap,
    id: String,
    action: ReviewAction,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ServerError> {
    let id = crate::api::id_of(&id, "concept")?;
    let input: ActionInput = if body.iter().all(u8::is_ascii_whitespace) {
        ActionInput::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ServerError::BadRequest(format!("the body is not a JSON action: {e}")))?
    };
    let row = state
        .with_store_write(move |store, _| {
            let user = auth::token_user(store, &headers)?;
            let user = require_editor(user.as_ref())?.clone();
            apply(store, id, action, &input, &user)
        })
        .await?;
    Ok(Json(
        json!({ "id": row.id, "version": row.version, "merged_into": row.merged_into, "concept": row.concept }),
    ))
}

fn status_class(state: ConceptState) -> String {
    format!("status status-{}", state.name())
}

fn candidate_card(
    ui: Ui,
    session: &Session,
    row: &ConceptRow,
    evidence: &[tongwen_store::EvidenceRow],
) -> Markup {
    let concept = &row.concept;
    let zh = concept
        .headword("zh")
        .map(|t| t.text.clone())
        .unwrap_or_default();
    let english: Vec<&str> = concept.terms("en").map(|t| t.text.as_str()).collect();
    let form = |action: &str, body: Markup| {
        html! {
            form method="post" action=(format!("/review/{}", row.id)) {
                input type="hidden" name="csrf" value=(session.csrf);
                input type="hidden" name="version" value=(row.version);
                input type="hidden" name="action" value=(action);
                (body)
            }
        }
    };
    html! {
        article.candidate id=(format!("c{}", row.id)) aria-labelledby=(format!("h{}", row.id)) {
            h2 id=(format!("h{}", row.id)) { a href=(format!("/concepts/{}", row.id)) lang="zh-Hans" { (zh) } " " span class=(status_class(concept.state)) { (crate::pages::state_name(ui, concept.state)) } " " span.muted { "v" (row.version) } }
            ul {
                @for (lang, term) in concept.all_terms() {
                    li lang=(lang) { (term.text) " " span class=(format!("status status-{}", term.effective_status().name())) { (crate::pages::status_name(ui, term.effective_status())) } }
                }
            }
            @if !evidence.is_empty() {
                div.parallel {
                    @for e in evidence { div lang="zh-Hans" { (e.zh) } div lang="en" { (e.en) } }
                }
            }
            div.actions {
                (form("approve", html! {
                    label { (ui.t(Key::Preferred)) " " select name="prefer" { @for en in &english { option value=(en) { (en) } } } }
                    " " button type="submit" { (ui.t(Key::Approve)) }
                }))
                (form("reject", html! { button.secondary type="submit" { (ui.t(Key::Reject)) } }))
                @if !english.is_empty() {
                    (form("deprecate", html! {
                        input type="hidden" name="lang" value="en";
                        select name="text" aria-label=(ui.t(Key::Deprecated)) { @for en in &english { option value=(en) { (en) } } }
                        " " button.secondary type="submit" { (ui.t(Key::Deprecate)) }
                    }))
                }
                (form("edit", html! {
                    select name="lang" aria-label=(ui.t(Key::Language)) { option value="en" { "en" } option value="zh" { "zh" } }
                    input type="text" name="text" aria-label=(ui.t(Key::Terms)) required;
                    select name="status" aria-label="status" { option value="admitted" { "admitted" } option value="preferred" { "preferred" } option value="deprecated" { "deprecated" } }
                    " " button.secondary type="submit" { (ui.t(Key::AddTerm)) }
                }))
                (form("merge", html! {
                    input type="text" name="into" inputmode="numeric" pattern="[0-9]+" aria-label=(ui.t(Key::MergeInto)) placeholder=(ui.t(Key::MergeInto)) required;
                    " " button.secondary type="submit" { (ui.t(Key::Merge)) }
                }))
            }
        }
    }
}

/// Query of `/review`.
#[derive(Debug, Deserialize, Default)]
pub struct ReviewQuery {
    page: Option<usize>,
    done: Option<i64>,
}

const REVIEW_PAGE: usize = 20;

fn review_page(
    ui: Ui,
    session: &Session,
    cards: &[(ConceptRow, Vec<tongwen_store::EvidenceRow>)],
    notice: Option<Markup>,
    page: usize,
) -> Markup {
    layout(
        ui,
        ui.t(Key::Review),
        "",
        html! {
            h1 { (ui.t(Key::Review)) }
            p.muted {
                (session.user.name) " (" (session.user.role.name()) ") "
                form.inline method="post" action="/logout" { input type="hidden" name="csrf" value=(session.csrf); button.secondary type="submit" { (ui.t(Key::LogOut)) } }
            }
            @if let Some(notice) = notice { (notice) }
            @if cards.is_empty() { p { (ui.t(Key::QueueEmpty)) } }
            @for (row, evidence) in cards { (candidate_card(ui, session, row, evidence)) }
            nav.pager aria-label="pages" {
                @if page > 1 { a href=(format!("/review?page={}", page - 1)) rel="prev" { (ui.t(Key::Previous)) } }
                @if cards.len() == REVIEW_PAGE { a href=(format!("/review?page={}", page + 1)) rel="next" { (ui.t(Key::Next)) } }
            }
        },
    )
}

fn load_queue(
    store: &SqliteStore,
    page: usize,
) -> Result<Vec<(ConceptRow, Vec<tongwen_store::EvidenceRow>)>, ServerError> {
    let rows = store.concepts(&ConceptFilter {
        state: Some(ConceptState::Candidate),
        text: None,
        limit: Some(REVIEW_PAGE),
        offset: (page - 1) * REVIEW_PAGE,
    })?;
    rows.into_iter()
        .map(|row| {
            let evidence = store.concept_evidence(row.id, 2)?.0;
            Ok((row, evidence))
        })
        .collect()
}

/// The session of an editor, or the response that turns the request away.
fn editor_session(ui: Ui, session: Option<Session>) -> Result<Session, Box<Response>> {
    match session {
        None => Err(Box::new(Redirect::to("/login").into_response())),
        Some(session) if session.user.role < tongwen_store::Role::Editor => {
            Err(Box::new(message_page(
                ui,
                StatusCode::FORBIDDEN,
                ui.t(Key::Review),
                &ServerError::Forbidden(format!(
                    "{} is a {}; reviewing needs an editor",
                    session.user.name,
                    session.user.role.name()
                ))
                .to_string(),
            )))
        }
        Some(session) => Ok(session),
    }
}

/// `GET /review`: the candidate queue (editors only).
pub async fn review(
    State(state): Shared,
    headers: HeaderMap,
    Query(query): Query<ReviewQuery>,
) -> Response {
    let ui = Ui::from_headers(&headers);
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let result = state
        .with_store(move |store, _| {
            let session = auth::session_of(store, &headers)?;
            let queue = match &session {
                Some(s) if s.user.role >= tongwen_store::Role::Editor => load_queue(store, page)?,
                _ => Vec::new(),
            };
            Ok((session, queue))
        })
        .await;
    let (session, queue) = match result {
        Ok(found) => found,
        Err(e) => return message_page(ui, e.status_and_code().0, "Error", &e.public_message()),
    };
    let session = match editor_session(ui, session) {
        Ok(session) => session,
        Err(response) => return *response,
    };
    let notice = query.done.map(|id| html! { p.notice role="status" { (ui.t(Key::Saved)) " " a href=(format!("/concepts/{id}")) { "#" (id) } } });
    html_response(
        StatusCode::OK,
        review_page(ui, &session, &queue, notice, page),
    )
}

/// `POST /review/{id}`: an editor's decision from the queue.
pub async fn review_action(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(input): Form<ActionInput>,
) -> Response {
    let ui = Ui::from_headers(&headers);
    let Ok(id) = id.parse::<i64>() else {
        return message_page(
            ui,
            StatusCode::NOT_FOUND,
            ui.t(Key::NotFound),
            "no such concept",
        );
    };
    let result = state
        .with_store_write(move |store, _| {
            let session = auth::session_of(store, &headers)?;
            let Some(session) = session else {
                return Ok(Err(None));
            };
            if session.user.role < tongwen_store::Role::Editor {
                return Ok(Err(Some(session)));
            }
            if !input
                .csrf
                .as_deref()
                .is_some_and(|t| same_secret(t, &session.csrf))
            {
                return Err(ServerError::Forbidden(
                    "the form is not from this session; reload the page".into(),
                ));
            }
            let action = ReviewAction::parse(input.action.as_deref().unwrap_or_default())?;
            match apply(store, id, action, &input, &session.user) {
                Ok(_) => Ok(Ok(None)),
                Err(ServerError::Store(tongwen_store::Error::Stale {
                    expected, found, ..
                })) => {
                    let current = store.concept(id)?;
                    let evidence = store.concept_evidence(current.id, 2)?.0;
                    Ok(Ok(Some((
                        session, action, expected, found, current, evidence,
                    ))))
                }
                Err(e) => Err(e),
            }
        })
        .await;
    match result {
        Ok(Ok(None)) => Redirect::to(&format!("/review?done={id}")).into_response(),
        Ok(Ok(Some((session, action, expected, found, current, evidence)))) => {
            let notice = html! {
                div.error role="alert" {
                    p { (ui.t(Key::Conflict)) }
                    p { "“" (action.name()) "” — v" (expected) " → v" (found) ", " (current.updated_by) ", " (current.updated_at) }
                }
            };
            html_response(
                StatusCode::CONFLICT,
                review_page(ui, &session, &[(current, evidence)], Some(notice), 1),
            )
        }
        Ok(Err(session)) => match editor_session(ui, session) {
            Ok(_) => message_page(ui, StatusCode::FORBIDDEN, ui.t(Key::Review), "forbidden"),
            Err(response) => *response,
        },
        Err(e) => message_page(
            ui,
            e.status_and_code().0,
            ui.t(Key::Review),
            &e.public_message(),
        ),
    }
}
