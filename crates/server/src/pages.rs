//! The HTML pages. Server-rendered with maud, which escapes every interpolated
//! string; no script is needed to read anything.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;
use tongwen_store::{ConceptFilter, ConceptRow, PairId, SearchQuery, Stories, Termbase};
use tongwen_terms::termbase::{Concept, ConceptState, TermStatus};
use tongwen_text::Lang;

use crate::error::ServerError;
use crate::highlight::TermIndex;
use crate::i18n::{Key, Ui};
use crate::state::AppState;
use crate::svg;

type Shared = State<Arc<AppState>>;

/// The page frame: header with navigation, language switch and search.
pub(crate) fn layout(ui: Ui, title: &str, query: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(ui.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Tongwen 同文" }
                link rel="stylesheet" href="/static/site.css";
            }
            body {
                header.site {
                    a.brand href="/" lang="zh-Hans" { "同文 " span lang="en" { "Tongwen" } }
                    nav aria-label=(ui.t(Key::Language)) {
                        a href="/" { (ui.t(Key::Home)) }
                        a href="/search" { (ui.t(Key::Search)) }
                        a href="/review" { (ui.t(Key::Review)) }
                        a href="/ui/zh" lang="zh-Hans" hreflang="zh" { "中文" }
                        a href="/ui/en" lang="en" hreflang="en" { "English" }
                    }
                    form role="search" action="/search" method="get" {
                        label for="q" class="muted" hidden { (ui.t(Key::Search)) }
                        input #q type="search" name="q" value=(query) placeholder=(ui.t(Key::SearchPlaceholder)) aria-label=(ui.t(Key::Search));
                        button type="submit" { (ui.t(Key::Search)) }
                    }
                }
                main { (body) }
            }
        }
    }
}

pub(crate) fn state_name(ui: Ui, state: ConceptState) -> &'static str {
    ui.t(match state {
        ConceptState::Candidate => Key::Candidate,
        ConceptState::Approved => Key::Approved,
        ConceptState::Rejected => Key::Rejected,
        ConceptState::Merged => Key::Merged,
    })
}

pub(crate) fn status_name(ui: Ui, status: TermStatus) -> &'static str {
    ui.t(match status {
        TermStatus::Preferred => Key::Preferred,
        TermStatus::Admitted => Key::Admitted,
        TermStatus::Deprecated => Key::Deprecated,
    })
}

/// Text with its terms marked and linked.
fn marked(index: &TermIndex, text: &str, lang: &str) -> Markup {
    html! {
        @for (piece, concept) in index.pieces(text, lang) {
            @if let Some(id) = concept {
                mark { a href=(format!("/concepts/{id}")) { (piece) } }
            } @else {
                (piece)
            }
        }
    }
}

fn headwords(concept: &Concept) -> (String, String) {
    let head = |lang: &str| {
        concept
            .headword(lang)
            .map(|t| t.text.clone())
            .unwrap_or_default()
    };
    (head("zh"), head("en"))
}

fn concept_card(ui: Ui, row: &ConceptRow) -> Markup {
    let (zh, en) = headwords(&row.concept);
    html! {
        li {
            a href=(format!("/concepts/{}", row.id)) {
                span lang="zh-Hans" { (zh) }
            }
            " "
            span class=(format!("status status-{}", row.concept.state.name())) { (state_name(ui, row.concept.state)) }
            br;
            span lang="en" { (en) }
            @if let Some(m) = &row.concept.mined {
                br;
                span.muted { (m.frequency) " " (ui.t(Key::Seen)) }
            }
        }
    }
}

fn page(markup: Markup) -> Response {
    Html(markup.into_string()).into_response()
}

/// The page of an error, with its status (and `Retry-After` when it says when).
pub(crate) fn error_page(ui: Ui, error: &ServerError) -> Response {
    let (status, _) = error.status_and_code();
    let title = if status == StatusCode::NOT_FOUND {
        ui.t(Key::NotFound)
    } else {
        "Error"
    };
    let body = html! { h1 { (title) } p.error { (error.public_message()) } };
    let mut response = (status, Html(layout(ui, title, "", body).into_string())).into_response();
    if let Some(seconds) = error.retry_after() {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(seconds),
        );
    }
    response
}

/// Any unknown path.
pub async fn not_found(headers: HeaderMap) -> Response {
    error_page(
        Ui::from_headers(&headers),
        &ServerError::NotFound("no such page".into()),
    )
}

/// `/`: key concepts, approved first; recent stories; search.
pub async fn home(State(state): Shared, headers: HeaderMap) -> Response {
    let ui = Ui::from_headers(&headers);
    let result = state
        .with_store(|store, state| {
            let concepts = store.concepts(&ConceptFilter {
                limit: Some(24),
                ..ConceptFilter::default()
            })?;
            let stories = state.recent_stories(store)?;
            Ok((concepts, stories))
        })
        .await;
    let (concepts, stories) = match result {
        Ok(found) => found,
        Err(e) => return error_page(ui, &e),
    };
    let body = html! {
        h1 { span lang="zh-Hans" { "同文" } " " span lang="en" { "Tongwen" } }
        section aria-labelledby="concepts" {
            h2 #concepts { (ui.t(Key::ConceptsHeading)) }
            ul.concepts { @for row in &concepts { (concept_card(ui, row)) } }
        }
        section aria-labelledby="stories" {
            h2 #stories { (ui.t(Key::RecentStories)) }
            ul.stories {
                @for story in stories.iter() {
                    li {
                        a href=(format!("/stories/{}", story.id.0)) lang="zh-Hans" { (story.title.as_deref().unwrap_or("—")) }
                        @if let Some(en) = &story.en_title { br; span lang="en" { (en) } }
                        br;
                        span.muted { (story.published.as_deref().unwrap_or("")) " " (story.source.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    page(layout(ui, ui.t(Key::Home), "", body))
}

/// What a concept page shows besides the concept.
pub(crate) struct ConceptView {
    pub(crate) row: ConceptRow,
    pub(crate) evidence: Vec<tongwen_store::EvidenceRow>,
    pub(crate) evidence_total: usize,
    pub(crate) timeline: Arc<Vec<(String, usize)>>,
    pub(crate) related: Vec<(i64, ConceptState, String, String)>,
}

/// Everything a concept page or its API answer needs.
pub(crate) fn concept_view(
    store: &mut tongwen_store::SqliteStore,
    state: &AppState,
    id: i64,
    evidence: usize,
) -> Result<ConceptView, ServerError> {
    let row = store.concept(id)?;
    let (evidence, evidence_total) = store.concept_evidence(id, evidence)?;
    let timeline = state.timeline(store, id, row.version)?;
    let keys: Vec<String> = row.concept.terms("zh").map(|t| t.text.clone()).collect();
    let related = store.related_concepts(id, &keys, 8)?;
    Ok(ConceptView {
        row,
        evidence,
        evidence_total,
        timeline,
        related,
    })
}

/// `/concepts/{id}`.
pub async fn concept(State(state): Shared, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let ui = Ui::from_headers(&headers);
    let Ok(id) = id.parse::<i64>() else {
        return error_page(ui, &ServerError::NotFound(format!("no concept {id}")));
    };
    let view = match state
        .with_store(move |store, state| concept_view(store, state, id, 20))
        .await
    {
        Ok(view) => view,
        Err(e) => return error_page(ui, &e),
    };
    if let Some(into) = view.row.merged_into {
        return Redirect::to(&format!("/concepts/{into}")).into_response();
    }
    let concept = &view.row.concept;
    let (zh, en) = headwords(concept);
    // The concept's own terms are marked in its evidence.
    let own = TermIndex::new(
        concept
            .all_terms()
            .filter(|(_, t)| t.effective_status() != TermStatus::Deprecated)
            .map(|(lang, t)| {
                (
                    tongwen_terms::termbase::primary_language(lang),
                    t.text.clone(),
                    view.row.id,
                )
            }),
    );
    let chart = svg::monthly_bars(view.timeline.as_slice(), ui.t(Key::OverTime));
    let body = html! {
        h1 { span lang="zh-Hans" { (zh) } " · " span lang="en" { (en) } }
        p {
            span class=(format!("status status-{}", concept.state.name())) { (state_name(ui, concept.state)) }
            @if let Some(subject) = &concept.subject { " " span.muted { (ui.t(Key::Subject)) ": " (subject) } }
            @if let Some(m) = &concept.mined { " " span.muted { (m.frequency) " " (ui.t(Key::Seen)) } }
        }
        @if let Some(definition) = &concept.definition {
            p { strong { (ui.t(Key::Definition)) ": " } (definition.text)
                @if let Some(source) = &definition.source { " " span.muted { "(" (source) ")" } } }
        }
        section aria-labelledby="terms" {
            h2 #terms { (ui.t(Key::Terms)) }
            @for section in &concept.languages {
                div lang=(section.lang) {
                    h3 { (section.lang) }
                    @if let Some(definition) = &section.definition { p { strong { (ui.t(Key::Definition)) ": " } (definition)
                        @if let Some(source) = &section.definition_source { " " span.muted { "(" (source) ")" } } } }
                    @for note in &section.notes { p.muted { (note) } }
                    ul {
                        @for term in &section.terms {
                            li {
                                (term.text) " "
                                span class=(format!("status status-{}", term.effective_status().name())) lang=(ui.tag()) { (status_name(ui, term.effective_status())) }
                                @if let Some(pos) = &term.part_of_speech { " " span.muted { (pos) } }
                                @if let Some(kind) = &term.term_type { " " span.muted { (kind) } }
                            }
                        }
                    }
                }
            }
            @for note in &concept.notes { p.muted { (ui.t(Key::Notes)) ": " (note) } }
        }
        @let variants: Vec<_> = concept.terms("en").filter(|t| t.term_type.as_deref() == Some("variant")).collect();
        @if !variants.is_empty() {
            section aria-labelledby="variants" {
                h2 #variants { (ui.t(Key::Variants)) }
                ul { @for v in &variants { li lang="en" { (v.text) @if let Some(f) = v.frequency { " " span.muted { "(" (f) ")" } } } } }
            }
        }
        @if let Some(chart) = &chart {
            section.chart aria-labelledby="over-time" {
                h2 #over-time { (ui.t(Key::OverTime)) }
                (PreEscaped(chart))
                table.muted {
                    caption hidden { (ui.t(Key::OverTime)) }
                    tbody { @for (month, count) in view.timeline.iter() { tr { th scope="row" { (month) } td { (count) } } } }
                }
            }
        }
        section aria-labelledby="evidence" {
            h2 #evidence { (ui.t(Key::Evidence)) " " span.muted { "(" (view.evidence.len()) " / " (view.evidence_total) ")" } }
            div.parallel {
                @for e in &view.evidence {
                    div lang="zh-Hans" { (marked(&own, &e.zh, "zh")) br; a.muted href=(format!("/stories/{}#b{}", e.pair.0, e.position)) { (e.title.as_deref().unwrap_or("—")) } }
                    div lang="en" { (marked(&own, &e.en, "en")) br; span.muted { (e.published.as_deref().unwrap_or("")) } }
                }
            }
        }
        @if !view.related.is_empty() {
            section aria-labelledby="related" {
                h2 #related { (ui.t(Key::Related)) }
                ul { @for (other, state, zh, en) in &view.related { li { a href=(format!("/concepts/{other}")) lang="zh-Hans" { (zh) } " " span lang="en" { (en) } " " span class=(format!("status status-{}", state.name())) { (state_name(ui, *state)) } } } }
            }
        }
    };
    page(layout(ui, &zh, "", body))
}

/// `/stories/{id}`: the parallel reader.
pub async fn story(State(state): Shared, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let ui = Ui::from_headers(&headers);
    let Ok(id) = id.parse::<i64>() else {
        return error_page(ui, &ServerError::NotFound(format!("no story {id}")));
    };
    let result = state
        .with_store(move |store, state| {
            Ok((store.story(PairId(id))?, state.approved_terms(store)?))
        })
        .await;
    let (story, terms) = match result {
        Ok(found) => found,
        Err(e) => return error_page(ui, &e),
    };
    let meta = |side: &tongwen_store::StorySide| {
        html! {
            dl {
                @if let Some(v) = &side.metadata.source { dt { (ui.t(Key::Source)) } dd { (v) } }
                @if let Some(v) = &side.metadata.published { dt { (ui.t(Key::Published)) } dd { (v) } }
                @if let Some(v) = &side.metadata.author { dt { (ui.t(Key::Author)) } dd { (v) } }
                @if let Some(v) = &side.metadata.editor { dt { (ui.t(Key::Editor)) } dd { (v) } }
            }
        }
    };
    let title = story
        .zh
        .metadata
        .title
        .clone()
        .or(story.en.metadata.title.clone())
        .unwrap_or_else(|| format!("{} {}", ui.t(Key::Story), id));
    let body = html! {
        div.parallel {
            div lang="zh-Hans" { h1 { (story.zh.metadata.title.as_deref().unwrap_or("")) } (meta(&story.zh)) }
            div lang="en" { h1 { (story.en.metadata.title.as_deref().unwrap_or("")) } (meta(&story.en)) }
            @for bead in &story.beads {
                @let class = if bead.low_confidence { "review" } else { "" };
                div lang="zh-Hans" id=(format!("b{}", bead.position)) class=(class) {
                    @if bead.zh.is_empty() { span.none { "— " (ui.t(Key::NoCounterpart)) } }
                    @for sentence in &bead.zh { (marked(&terms, sentence, "zh")) }
                }
                div lang="en" class=(class) {
                    @if bead.en.is_empty() { span.none lang=(ui.tag()) { "— " (ui.t(Key::NoCounterpart)) } }
                    @for (k, sentence) in bead.en.iter().enumerate() { @if k > 0 { " " } (marked(&terms, sentence, "en")) }
                    @if bead.low_confidence { br; span.muted lang=(ui.tag()) { (ui.t(Key::FlaggedForReview)) } }
                }
            }
        }
    };
    page(layout(ui, &title, "", body))
}

/// Query of `/search` and `/api/v1/search`.
#[derive(Debug, Deserialize, Default)]
pub struct SearchParams {
    /// Words and quoted phrases.
    #[serde(default)]
    pub q: String,
    /// `zh`, `en` or nothing for both.
    pub lang: Option<String>,
    /// From 1.
    pub page: Option<usize>,
    /// Only this source.
    pub source: Option<String>,
}

/// Hits on one page.
pub const PAGE_SIZE: usize = 20;

/// A `lang` parameter: `zh`, `en`, or nothing, empty or `any` for both.
pub(crate) fn lang_filter(value: Option<&str>) -> Result<Option<&'static str>, ServerError> {
    match value {
        None | Some("any") => Ok(None),
        Some("zh") => Ok(Some("zh")),
        Some("en") => Ok(Some("en")),
        Some(other) => Err(ServerError::BadRequest(format!(
            "lang must be zh, en or any, not \"{other}\""
        ))),
    }
}

/// Validated search parameters.
pub fn search_query(
    params: &SearchParams,
    limit: usize,
    offset: usize,
) -> Result<SearchQuery, ServerError> {
    let lang = match lang_filter(params.lang.as_deref())? {
        Some("zh") => Some(Lang::Zh),
        Some(_) => Some(Lang::En),
        None => None,
    };
    if params.q.chars().count() > 200 {
        return Err(ServerError::BadRequest(
            "the query is longer than 200 characters".into(),
        ));
    }
    if params
        .source
        .as_ref()
        .is_some_and(|s| s.chars().count() > 200)
    {
        return Err(ServerError::BadRequest(
            "the source is longer than 200 characters".into(),
        ));
    }
    Ok(SearchQuery {
        text: params.q.clone(),
        lang,
        source: params.source.clone().filter(|s| !s.is_empty()),
        from: None,
        to: None,
        limit,
        offset,
    })
}

/// Text with byte ranges marked.
fn highlighted(text: &str, ranges: &[std::ops::Range<usize>]) -> Markup {
    // Adjacent matches (高水平 + 对外开放 of one phrase) read as one.
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => merged.push(range.clone()),
        }
    }
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for range in &merged {
        let valid = range.start >= at
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if valid {
            pieces.push((&text[at..range.start], false));
            pieces.push((&text[range.clone()], true));
            at = range.end;
        }
    }
    pieces.push((&text[at..], false));
    html! {
        @for (piece, hit) in pieces {
            @if hit { mark { (piece) } } @else { (piece) }
        }
    }
}

/// `/search?q=…&lang=…&page=…`.
pub async fn search(
    State(state): Shared,
    headers: HeaderMap,
    Query(params): Query<SearchParams>,
) -> Response {
    let ui = Ui::from_headers(&headers);
    let page_number = params.page.unwrap_or(1).clamp(1, 500);
    let hits = if crate::trimmed(&params.q).is_empty() {
        Ok(Vec::new())
    } else {
        match search_query(&params, PAGE_SIZE + 1, (page_number - 1) * PAGE_SIZE) {
            Ok(query) => state.search(query).await,
            Err(e) => Err(e),
        }
    };
    let hits = match hits {
        Ok(hits) => hits,
        Err(e) => return error_page(ui, &e),
    };
    // Concepts named by the query come first: a reader searching 高水平对外开放 wants
    // the concept as well as the sentences.
    let text = params.q.trim().to_string();
    let concepts = if text.is_empty() || page_number > 1 {
        Vec::new()
    } else {
        state
            .with_store(move |store, _| {
                Ok(store.concepts(&ConceptFilter {
                    text: Some(text),
                    limit: Some(5),
                    ..ConceptFilter::default()
                })?)
            })
            .await
            .unwrap_or_default()
    };
    let more = hits.len() > PAGE_SIZE;
    let link = |page: usize| {
        format!(
            "/search?q={}&lang={}&source={}&page={page}",
            url_encode(&params.q),
            url_encode(params.lang.as_deref().unwrap_or("any")),
            url_encode(params.source.as_deref().unwrap_or(""))
        )
    };
    let body = html! {
        h1 { (ui.t(Key::Search)) }
        form role="search" action="/search" method="get" {
            input type="search" name="q" value=(params.q) aria-label=(ui.t(Key::Search));
            select name="lang" aria-label=(ui.t(Key::Language)) {
                option value="any" selected[params.lang.as_deref().is_none_or(|l| l == "any")] { "中 + EN" }
                option value="zh" selected[params.lang.as_deref() == Some("zh")] lang="zh-Hans" { "中文" }
                option value="en" selected[params.lang.as_deref() == Some("en")] { "English" }
            }
            input type="text" name="source" value=(params.source.as_deref().unwrap_or("")) placeholder=(ui.t(Key::Source)) aria-label=(ui.t(Key::Source));
            button type="submit" { (ui.t(Key::Search)) }
        }
        @if !concepts.is_empty() {
            section aria-labelledby="matching-concepts" {
                h2 #matching-concepts { (ui.t(Key::ConceptsHeading)) }
                ul.concepts { @for row in &concepts { (concept_card(ui, row)) } }
            }
        }
        @if !crate::trimmed(&params.q).is_empty() {
            @if hits.is_empty() { p { (ui.t(Key::NoResults)) } }
            div.parallel {
                @for hit in hits.iter().take(PAGE_SIZE) {
                    div lang="zh-Hans" { (highlighted(&hit.bead.zh_text, &hit.zh_highlights)) br; a.muted href=(format!("/stories/{}#b{}", hit.bead.pair.0, hit.bead.position)) { (hit.bead.title.as_deref().unwrap_or("—")) } }
                    div lang="en" { (highlighted(&hit.bead.en_text, &hit.en_highlights)) br; span.muted { (hit.bead.published.as_deref().unwrap_or("")) " " (hit.bead.source.as_deref().unwrap_or("")) } }
                }
            }
            nav.pager aria-label="pages" {
                @if page_number > 1 { a href=(link(page_number - 1)) rel="prev" { (ui.t(Key::Previous)) } }
                @if more { a href=(link(page_number + 1)) rel="next" { (ui.t(Key::Next)) } }
            }
        }
    };
    page(layout(ui, ui.t(Key::Search), &params.q, body))
}

/// Percent-encoding of a query value.
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `/ui/{zh|en}`: sets the interface language and goes back home.
pub async fn switch_language(Path(lang): Path<String>) -> Response {
    let value = match lang.as_str() {
        "zh" => "zh",
        "en" => "en",
        _ => return (StatusCode::NOT_FOUND, "no such interface language").into_response(),
    };
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                format!("ui={value}; Path=/; Max-Age=31536000; SameSite=Lax"),
            ),
            (header::LOCATION, "/".to_string()),
        ],
    )
        .into_response()
}
