//! Errors of the server, and how they are answered: a JSON body with a stable code
//! under `/api/`, an HTML page elsewhere.

use axum::http::StatusCode;

/// What went wrong while answering.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store or index failed or refused.
    #[error(transparent)]
    Store(#[from] tongwen_store::Error),
    /// The address cannot be listened on.
    #[error("cannot listen on {0}: {1}")]
    Bind(String, std::io::Error),
    /// A request parameter is invalid.
    #[error("{0}")]
    BadRequest(String),
    /// Nothing there.
    #[error("{0}")]
    NotFound(String),
    /// The request needs a logged-in user or an API token.
    #[error("{0}")]
    Unauthorized(String),
    /// The user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// A finding id sent with a dismissal is not the id of its rule and text.
    #[error("{0}")]
    FindingMismatch(String),
    /// Too many failed logins.
    #[error("too many failed logins; try again in {} seconds", .0.as_secs().max(1))]
    TooManyAttempts(std::time::Duration),
    /// The store stayed busy with other writers, or the writers' queue was full,
    /// for longer than a request may wait; nothing was changed.
    #[error("the store is busy; nothing was changed, try again in a moment")]
    Busy,
    /// The request took too long (a body trickling in, a store not answering).
    #[error("the request took too long and was dropped")]
    Timeout,
    /// A worker thread failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<tongwen_app::Error> for ServerError {
    fn from(error: tongwen_app::Error) -> ServerError {
        match error {
            tongwen_app::Error::Store(e) => ServerError::Store(e),
            other => ServerError::BadRequest(other.to_string()),
        }
    }
}

impl ServerError {
    /// HTTP status and the stable code clients may match on.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ServerError::Store(tongwen_store::Error::NotFound(_)) | ServerError::NotFound(_) => {
                (StatusCode::NOT_FOUND, "not_found")
            }
            ServerError::Store(tongwen_store::Error::Query(_)) | ServerError::BadRequest(_) => {
                (StatusCode::BAD_REQUEST, "bad_request")
            }
            ServerError::Store(tongwen_store::Error::Stale { .. }) => {
                (StatusCode::CONFLICT, "stale_version")
            }
            ServerError::Store(tongwen_store::Error::Lifecycle { .. }) => {
                (StatusCode::CONFLICT, "not_allowed_in_state")
            }
            ServerError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ServerError::FindingMismatch(_) => (StatusCode::CONFLICT, "finding_mismatch"),
            ServerError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ServerError::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            ServerError::Busy | ServerError::Store(tongwen_store::Error::Busy) => {
                (StatusCode::SERVICE_UNAVAILABLE, "busy")
            }
            ServerError::Timeout => (StatusCode::REQUEST_TIMEOUT, "timeout"),
            ServerError::Store(tongwen_store::Error::ReadOnly(_)) => {
                (StatusCode::SERVICE_UNAVAILABLE, "read_only")
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// Seconds a client should wait before trying again, for answers that say so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ServerError::TooManyAttempts(wait) => Some(wait.as_secs().max(1)),
            ServerError::Busy | ServerError::Store(tongwen_store::Error::Busy) => Some(2),
            _ => None,
        }
    }

    /// The message shown to clients: internal failures are logged, not shown.
    pub fn public_message(&self) -> String {
        match self.status_and_code().0 {
            StatusCode::INTERNAL_SERVER_ERROR => {
                tracing::error!(error = %self, "request failed");
                "something went wrong on the server; it has been logged".into()
            }
            _ => self.to_string(),
        }
    }
}
