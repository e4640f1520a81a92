//! Interface language: English or Chinese, chosen with `/ui/{lang}` and kept in a
//! cookie. Content keeps its own language; only the interface changes.

use axum::http::HeaderMap;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    /// English.
    En,
    /// Chinese.
    Zh,
}

impl Ui {
    /// From the `ui` cookie; English by default.
    pub fn from_headers(headers: &HeaderMap) -> Ui {
        let chinese = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| c.trim() == "ui=zh");
        if chinese {
            Ui::Zh
        } else {
            Ui::En
        }
    }

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Ui::En => "en",
            Ui::Zh => "zh-Hans",
        }
    }

    /// A text of the interface in this language.
    pub fn t(self, key: Key) -> &'static str {
        let (en, zh) = match key {
            Key::Home => ("Home", "首页"),
            Key::Search => ("Search", "检索"),
            Key::SearchPlaceholder => ("Search both languages", "中英文检索"),
            Key::ConceptsHeading => ("Key concepts", "核心概念"),
            Key::RecentStories => ("Recent stories", "最新报道"),
            Key::Story => ("Story", "报道"),
            Key::Terms => ("Terms", "术语"),
            Key::Definition => ("Definition", "定义"),
            Key::Notes => ("Notes", "注释"),
            Key::Evidence => ("Evidence: aligned sentences", "例证：对齐句对"),
            Key::Variants => ("Other renderings", "其他译法"),
            Key::Related => ("Related concepts", "相关概念"),
            Key::OverTime => ("Frequency over time", "使用频次变化"),
            Key::NoCounterpart => ("no counterpart in the other version", "另一版本无对应"),
            Key::Source => ("Source", "来源"),
            Key::Published => ("Published", "发布时间"),
            Key::Editor => ("Editor", "责任编辑"),
            Key::Author => ("Author", "作者"),
            Key::NoResults => ("Nothing found.", "没有找到结果。"),
            Key::Next => ("Next", "下一页"),
            Key::Previous => ("Previous", "上一页"),
            Key::NotFound => ("Not found", "未找到"),
            Key::Candidate => ("candidate", "候选"),
            Key::Approved => ("approved", "已批准"),
            Key::Rejected => ("rejected", "已拒绝"),
            Key::Merged => ("merged", "已合并"),
            Key::Preferred => ("preferred", "首选"),
            Key::Admitted => ("admitted", "许用"),
            Key::Deprecated => ("deprecated", "弃用"),
            Key::Subject => ("Subject", "领域"),
            Key::Seen => ("aligned sentences", "个对齐句对"),
            Key::FlaggedForReview => ("alignment flagged for review", "对齐待核"),
            Key::Language => ("Language", "语言"),
            Key::Conflict => ("Someone changed this concept after you loaded it; your action was not applied. Here it is now — decide again.", "你打开此条目后，已有他人修改；你的操作未执行。以下为最新内容，请重新决定。"),
            Key::Saved => ("Saved:", "已保存："),
            Key::QueueEmpty => ("No candidates to review.", "没有待审条目。"),
            Key::Merge => ("Merge", "合并"),
            Key::MergeInto => ("merge into concept id", "并入概念编号"),
            Key::AddTerm => ("Add term", "添加术语"),
            Key::Deprecate => ("Deprecate", "弃用"),
            Key::Reject => ("Reject", "拒绝"),
            Key::Approve => ("Approve", "批准"),
            Key::FormExpired => ("This form has expired; reload the page and try again.", "表单已过期，请刷新页面后重试。"),
            Key::Password => ("Password", "密码"),
            Key::UserName => ("Name", "用户名"),
            Key::LoginFailed => ("Wrong name or password.", "用户名或密码错误。"),
            Key::LogOut => ("Log out", "退出"),
            Key::LogIn => ("Log in", "登录"),
            Key::Review => ("Review", "审校"),
        };
        match self {
            Ui::En => en,
            Ui::Zh => zh,
        }
    }
}

/// The texts of the interface.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub enum Key {
    Home,
    Search,
    SearchPlaceholder,
    ConceptsHeading,
    RecentStories,
    Story,
    Terms,
    Definition,
    Notes,
    Evidence,
    Variants,
    Related,
    OverTime,
    NoCounterpart,
    Source,
    Published,
    Editor,
    Author,
    NoResults,
    Next,
    Previous,
    NotFound,
    Candidate,
    Approved,
    Rejected,
    Merged,
    Preferred,
    Admitted,
    Deprecated,
    Subject,
    Seen,
    FlaggedForReview,
    Language,
    Review,
    LogIn,
    LogOut,
    LoginFailed,
    UserName,
    Password,
    FormExpired,
    Approve,
    Reject,
    Deprecate,
    AddTerm,
    MergeInto,
    Merge,
    QueueEmpty,
    Saved,
    Conflict,
}
