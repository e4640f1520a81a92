//! Dismissed check findings: a finding an editor judged "not an error", by its id
//! (rule and segment text), with who dismissed it, when and why. A dismissed finding
//! is not reported again for the same text; a changed segment has new finding ids
//! and is checked afresh.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{Error, Result, SqliteStore};

/// A dismissal to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDismissal {
    /// The finding's id (`tongwen_qa::finding_id`).
    pub finding: String,
    /// The finding's rule, as reports name it (`number-mismatch`).
    pub rule: String,
    /// The segment's Chinese side, normalized.
    pub zh: String,
    /// The segment's English side, normalized.
    pub en: String,
    /// Why it is not an error.
    pub reason: String,
}

/// A recorded dismissal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dismissal {
    /// The finding's id.
    pub finding: String,
    /// The finding's rule.
    pub rule: String,
    /// The segment's Chinese side.
    pub zh: String,
    /// The segment's English side.
    pub en: String,
    /// Why it is not an error.
    pub reason: String,
    /// Who dismissed it.
    pub dismissed_by: String,
    /// When (UTC, RFC 3339).
    pub dismissed_at: String,
}

/// Dismissed findings of translation checks.
pub trait Dismissals {
    /// Records a dismissal by `actor`; dismissing a finding again replaces the reason
    /// and records the new actor and time.
    fn dismiss(&mut self, dismissal: &NewDismissal, actor: &str) -> Result<Dismissal>;
    /// Withdraws a dismissal; whether there was one.
    fn undismiss(&mut self, finding: &str) -> Result<bool>;
    /// Every dismissal, newest first.
    fn dismissals(&self) -> Result<Vec<Dismissal>>;
}

/// Longest reason kept.
const MAX_REASON_CHARS: usize = 1000;

impl Dismissals for SqliteStore {
    fn dismiss(&mut self, dismissal: &NewDismissal, actor: &str) -> Result<Dismissal> {
        let well_formed = dismissal.finding.len() == 16
            && dismissal.finding.chars().all(|c| c.is_ascii_hexdigit());
        if !well_formed {
            return Err(Error::Query(format!(
                "a finding id is 16 hexadecimal digits, not \"{}\"",
                dismissal.finding
            )));
        }
        if dismissal.reason.chars().count() > MAX_REASON_CHARS {
            return Err(Error::Query(format!(
                "a dismissal's reason has at most {MAX_REASON_CHARS} characters"
            )));
        }
        let at = chrono::Utc::now().to_rfc3339();
        let transaction = self.write_transaction()?;
        transaction.execute(
            "INSERT INTO dismissals (finding, rule, zh, en, reason, dismissed_by, dismissed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (finding) DO UPDATE SET reason = excluded.reason,
                 dismissed_by = excluded.dismissed_by, dismissed_at = excluded.dismissed_at",
            params![
                dismissal.finding,
                dismissal.rule,
                dismissal.zh,
                dismissal.en,
                dismissal.reason,
                actor,
                at
            ],
        )?;
        transaction.commit()?;
        Ok(Dismissal {
            finding: dismissal.finding.clone(),
            rule: dismissal.rule.clone(),
            zh: dismissal.zh.clone(),
            en: dismissal.en.clone(),
            reason: dismissal.reason.clone(),
            dismissed_by: actor.to_string(),
            dismissed_at: at,
        })
    }

    fn undismiss(&mut self, finding: &str) -> Result<bool> {
        let transaction = self.write_transaction()?;
        let removed =
            transaction.execute("DELETE FROM dismissals WHERE finding = ?1", [finding])?;
        transaction.commit()?;
        Ok(removed > 0)
    }

    fn dismissals(&self) -> Result<Vec<Dismissal>> {
        let mut statement = self.connection.prepare(
            "SELECT finding, rule, zh, en, reason, dismissed_by, dismissed_at
             FROM dismissals ORDER BY dismissed_at DESC, finding",
        )?;
        let rows = statement.query_map([], |r| {
            Ok(Dismissal {
                finding: r.get(0)?,
                rule: r.get(1)?,
                zh: r.get(2)?,
                en: r.get(3)?,
                reason: r.get(4)?,
                dismissed_by: r.get(5)?,
                dismissed_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }
}

impl SqliteStore {
    /// Whether a finding is dismissed.
    pub fn is_dismissed(&self, finding: &str) -> Result<bool> {
        Ok(self
            .connection
            .query_row(
                "SELECT 1 FROM dismissals WHERE finding = ?1",
                [finding],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dismissals_are_kept_replaced_and_withdrawn() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let dismissal = NewDismissal {
            finding: "0123456789abcdef".into(),
            rule: "number-mismatch".into(),
            zh: "会议召开。".into(),
            en: "The 19th congress opened.".into(),
            reason: "the English names the congress".into(),
        };
        let kept = store.dismiss(&dismissal, "editor").unwrap();
        assert_eq!(kept.dismissed_by, "editor");
        assert!(store.is_dismissed("0123456789abcdef").unwrap());
        store
            .dismiss(
                &NewDismissal {
                    reason: "explicitation".into(),
                    ..dismissal.clone()
                },
                "chief",
            )
            .unwrap();
        let all = store.dismissals().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(
            (all[0].reason.as_str(), all[0].dismissed_by.as_str()),
            ("explicitation", "chief")
        );
        assert!(store
            .dismiss(
                &NewDismissal {
                    finding: "not-an-id".into(),
                    ..dismissal.clone()
                },
                "editor"
            )
            .is_err());
        assert!(store.undismiss("0123456789abcdef").unwrap());
        assert!(!store.undismiss("0123456789abcdef").unwrap());
        assert!(store.dismissals().unwrap().is_empty());
    }
}
