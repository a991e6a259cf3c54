//! The answer budget: a cap on the objects one request's answer may hold.
//!
//! Depth and complexity count fields, not list lengths, so a short query that
//! walks `next { target { next { target … } } }` through a looping decision
//! could build an answer of tens of megabytes. Every request gets a budget
//! of objects (`--max-answer-objects`); the list and object resolvers of the
//! runbook tree charge it *before* building what they return, and once it
//! is spent they refuse. The whole answer is then one `LIMIT_EXCEEDED`
//! error, without partial data.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use async_graphql::{
    Context, Request, Response, ServerError, ServerResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest},
};

use super::{errors::gql, limits::with_code};
use crate::error::{ApiError, ApiErrorCode};

/// One request's budget of answer objects.
#[derive(Clone)]
pub struct AnswerBudget(Arc<Budget>);

struct Budget {
    limit: usize,
    used: AtomicUsize,
}

impl AnswerBudget {
    fn new(limit: usize) -> Self {
        Self(Arc::new(Budget {
            limit,
            used: AtomicUsize::new(0),
        }))
    }

    fn spent(&self) -> bool {
        self.0.used.load(Ordering::Relaxed) > self.0.limit
    }

    fn message(&self) -> String {
        format!(
            "the answer would hold more than {} objects (the server's --max-answer-objects); \
             ask for fewer levels or fewer aliases",
            self.0.limit
        )
    }

    /// Charges `objects` to the request's budget; refused once it is spent.
    /// A request without a budget (none installed) is not limited.
    pub fn charge(ctx: &Context<'_>, objects: usize) -> async_graphql::Result<()> {
        let Some(budget) = ctx.data_opt::<AnswerBudget>() else {
            return Ok(());
        };
        let before = budget.0.used.fetch_add(objects, Ordering::Relaxed);
        if before.saturating_add(objects) > budget.0.limit {
            return Err(gql(ApiError::new(
                ApiErrorCode::LimitExceeded,
                budget.message(),
            )));
        }
        Ok(())
    }
}

/// Installs a budget of `max_objects` on every request.
pub struct AnswerLimit {
    /// Most objects of the runbook tree one answer may hold.
    pub max_objects: usize,
}

impl ExtensionFactory for AnswerLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AnswerLimitExtension {
            budget: AnswerBudget::new(self.max_objects),
        })
    }
}

struct AnswerLimitExtension {
    budget: AnswerBudget,
}

#[async_trait::async_trait]
impl Extension for AnswerLimitExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        next.run(ctx, request.data(self.budget.clone())).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        if !self.budget.spent() {
            return response;
        }
        // One error instead of the partial data and an error per refused field.
        let error = ServerError::new(self.budget.message(), None);
        Response::from_errors(vec![with_code(error, ApiErrorCode::LimitExceeded)])
    }
}
