//! Executions over GraphQL: queries, the moves people make, and the
//! `executionEvents` subscription (graphql-transport-ws on `/graphql`).

mod objects;
mod parts;

use async_graphql::{Context, Json, Object, Subscription, connection::Connection};
use futures::{Stream, StreamExt};
use serde_json::Value;

pub use objects::{ExecutionEvent, ExecutionObject, ExecutionStatus};

use super::{
    errors::{arg, gql},
    mutation::caller,
    query::{connection, page_size},
};
use crate::{
    domain::{ErrorCode, ScopeId},
    domain::{execution::ExecutionFilter, page::cut_page},
    error::{ApiError, ApiErrorCode},
    executions::{AlertContext, Execution, ExecutionId, Executions, Move, StartRequest, Status},
};

fn executions<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Executions> {
    ctx.data::<Executions>().map_err(|_| {
        gql(ApiError::new(
            ApiErrorCode::BadUserInput,
            "executions are not enabled on this server",
        ))
    })
}

fn execution_id(id: &str) -> async_graphql::Result<ExecutionId> {
    ExecutionId::parse(id).ok_or_else(|| {
        gql(ApiError::bad_input(
            "id",
            format!("invalid execution id {id:?}"),
        ))
    })
}

/// An execution of `host` (the default host when not given), once the caller
/// may read that host. One of another host is `None`, as if it did not exist:
/// a page or a link of one host never shows another's.
async fn find(
    ctx: &Context<'_>,
    host: Option<&str>,
    id: &ExecutionId,
) -> async_graphql::Result<Option<Execution>> {
    let host = super::query::read_host(ctx, host)?;
    let found = executions(ctx)?.get(id).await.map_err(|e| gql(e.into()))?;
    Ok(found.filter(|execution| execution.state.context.host == host))
}

/// Execution queries.
#[derive(Default)]
pub struct ExecutionQuery;

#[Object]
impl ExecutionQuery {
    /// A host's executions, newest first, optionally of one service and one status.
    // One parameter per argument of the field.
    #[allow(clippy::too_many_arguments)]
    async fn executions(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        service_id: Option<String>,
        status: Option<ExecutionStatus>,
        #[graphql(
            default,
            desc = "Only open executions (RUNNING, WAITING, NEEDS_ATTENTION) nobody has acknowledged."
        )]
        unacknowledged: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, ExecutionObject>> {
        let host = super::query::read_host(ctx, host.as_deref())?;
        let limit = page_size(first)?;
        let filter = ExecutionFilter {
            host,
            service: service_id
                .as_deref()
                .map(|s| arg::<ScopeId>("serviceId", s))
                .transpose()?,
            status: status.map(Into::into),
            before: after.as_deref().map(execution_id).transpose()?,
            unacknowledged,
        };
        let mut page = executions(ctx)?
            .list(&filter, limit + 1)
            .await
            .map_err(|e| gql(e.into()))?;
        let has_next = cut_page(&mut page, limit);
        Ok(connection(after.is_some(), has_next, page, |e| {
            (e.id.to_string(), ExecutionObject::from(e))
        }))
    }

    /// One execution of a host by id; null when it does not exist or
    /// belongs to another host.
    async fn execution(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Tenant; the service's default host when omitted.")] host: Option<String>,
        id: String,
    ) -> async_graphql::Result<Option<ExecutionObject>> {
        let id = execution_id(&id)?;
        Ok(find(ctx, host.as_deref(), &id).await?.map(Into::into))
    }
}

/// The moves people make on executions.
#[derive(Default)]
pub struct ExecutionMutation;

async fn act(ctx: &Context<'_>, id: &str, action: Move) -> async_graphql::Result<ExecutionObject> {
    let id = execution_id(id)?;
    let execution = executions(ctx)?
        .act(&id, caller(ctx), action)
        .await
        .map_err(gql)?;
    Ok(execution.into())
}

#[Object]
impl ExecutionMutation {
    /// Starts an execution by hand (never deduplicated).
    async fn start_execution(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        service_id: String,
        error_code: String,
        environment: Option<String>,
        instance: Option<String>,
    ) -> async_graphql::Result<ExecutionObject> {
        let service = executions(ctx)?;
        let host = service.runbooks().host(host.as_deref()).map_err(gql)?;
        let uid = service.actor(caller(ctx), &host).map_err(gql)?;
        let context = AlertContext {
            host,
            service_id: arg::<ScopeId>("serviceId", &service_id)?,
            error_code: arg::<ErrorCode>("errorCode", &error_code)?,
            environment,
            instance,
            labels: std::collections::BTreeMap::new(),
            status_code: None,
            message: None,
            description: None,
            severity: None,
        };
        let request = StartRequest {
            context,
            started_by: uid,
            deduplicate: false,
            alert: None,
        };
        let started = service.start(request).await.map_err(gql)?;
        Ok(started.execution.into())
    }

    /// Completes the current step (a STEP, or an AUTOMATED one done by hand).
    async fn complete_step(
        &self,
        ctx: &Context<'_>,
        id: String,
        note: Option<String>,
        output: Option<Json<Value>>,
    ) -> async_graphql::Result<ExecutionObject> {
        let output = output.map(|o| o.0);
        act(ctx, &id, Move::CompleteStep { note, output }).await
    }

    /// Follows the branch labelled `label` out of the current procedure.
    async fn choose_branch(
        &self,
        ctx: &Context<'_>,
        id: String,
        label: String,
        note: Option<String>,
    ) -> async_graphql::Result<ExecutionObject> {
        act(ctx, &id, Move::ChooseBranch { label, note }).await
    }

    /// Runs the current AUTOMATED step again (after it failed, could not
    /// run, or was interrupted): a new run with its own `Idempotency-Key`.
    /// CONFLICT while automation runs or once the execution is finished.
    async fn retry_step(
        &self,
        ctx: &Context<'_>,
        id: String,
        note: Option<String>,
    ) -> async_graphql::Result<ExecutionObject> {
        act(ctx, &id, Move::RetryStep { note }).await
    }

    /// Takes the open execution on: the caller answers for it now (again by
    /// its responder: no change). CONFLICT when someone else answers for it.
    async fn acknowledge(
        &self,
        ctx: &Context<'_>,
        id: String,
        note: Option<String>,
    ) -> async_graphql::Result<ExecutionObject> {
        act(ctx, &id, Move::Acknowledge { note }).await
    }

    /// Hands the open execution to the person `to` (a `uid`; the caller's
    /// own takes it over).
    async fn hand_off(
        &self,
        ctx: &Context<'_>,
        id: String,
        to: String,
        note: Option<String>,
    ) -> async_graphql::Result<ExecutionObject> {
        act(ctx, &id, Move::HandOff { to, note }).await
    }

    /// Adds a note (finished executions take notes too).
    async fn add_note(
        &self,
        ctx: &Context<'_>,
        id: String,
        note: String,
    ) -> async_graphql::Result<ExecutionObject> {
        act(ctx, &id, Move::Note(note)).await
    }

    /// Hands the execution over to people: finished, ESCALATED.
    async fn escalate(
        &self,
        ctx: &Context<'_>,
        id: String,
        note: Option<String>,
    ) -> async_graphql::Result<ExecutionObject> {
        act(
            ctx,
            &id,
            Move::Close {
                status: Status::Escalated,
                note,
            },
        )
        .await
    }

    /// The problem is solved: finished, RESOLVED.
    async fn resolve(
        &self,
        ctx: &Context<'_>,
        id: String,
        note: Option<String>,
    ) -> async_graphql::Result<ExecutionObject> {
        act(
            ctx,
            &id,
            Move::Close {
                status: Status::Resolved,
                note,
            },
        )
        .await
    }

    /// Abandons the execution: finished, ABORTED.
    async fn abort(
        &self,
        ctx: &Context<'_>,
        id: String,
        note: Option<String>,
    ) -> async_graphql::Result<ExecutionObject> {
        act(
            ctx,
            &id,
            Move::Close {
                status: Status::Aborted,
                note,
            },
        )
        .await
    }
}

/// Live updates.
#[derive(Default)]
pub struct ExecutionSubscription;

#[Subscription]
impl ExecutionSubscription {
    /// An execution's events: those stored after `afterSeq` (default: all),
    /// then each as it happens. Ends after the event that finishes it. An
    /// execution of another host than `host` is NOT_FOUND.
    async fn execution_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Tenant; the service's default host when omitted.")] host: Option<String>,
        id: String,
        after_seq: Option<i64>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ExecutionEvent>> + use<>>
    {
        let id = execution_id(&id)?;
        if find(ctx, host.as_deref(), &id).await?.is_none() {
            return Err(gql(
                ApiError::not_found(format!("no execution {id}")).on_field("id")
            ));
        }
        let stream = executions(ctx)?.event_stream(id, after_seq.unwrap_or(0));
        Ok(stream.map(|item| item.map(ExecutionEvent).map_err(gql)))
    }
}
