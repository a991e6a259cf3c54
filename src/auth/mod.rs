//! Authentication and authorization for the light platform's JWTs.
//!
//! Tokens come from light-oauth2 / light-portal: HS256 with a shared secret,
//! or RS256 / ES256 with public keys from PEM files or a JWKS file (chosen by
//! the header's `kid`). Each key verifies exactly one algorithm, so `alg: none`
//! and HS/RS confusion are refused before any signature check. `exp` is
//! required; `exp` and `nbf` are checked against an injected [`Clock`] with a
//! small leeway; `iss` and `aud` are checked when configured.
//!
//! # Wiring it into the HTTP layer
//!
//! At start, when the configuration has a key source:
//!
//! ```ignore
//! let auth = Arc::new(Authenticator::from_config(&config.auth, Arc::new(SystemClock))?);
//! ```
//!
//! In the GraphQL handler, authenticate the request's headers and hand the
//! result to the resolvers as request data:
//!
//! ```ignore
//! async fn graphql(State(app): State<AppState>, headers: HeaderMap, req: GraphQLRequest)
//!     -> Response
//! {
//!     let caller: Option<Caller> = match app.auth.as_deref().map(|a| a.authenticate(&headers)) {
//!         Some(Err(e)) => return AuthRejection(e).into_response(), // 401
//!         Some(Ok(caller)) => caller,
//!         None => None, // auth disabled: everyone is anonymous
//!     };
//!     GraphQLResponse::from(app.schema.execute(req.into_inner().data(caller)).await).into_response()
//! }
//! ```
//!
//! or take [`MaybeCaller`] as an extractor, which does the same when the state
//! implements `FromRef` for `Option<Arc<Authenticator>>`. Resolvers read
//! `ctx.data::<Option<Caller>>()` and call [`can_read`], [`can_write`] or
//! [`can_create`], returning their [`ApiError`](crate::error::ApiError)
//! (`UNAUTHENTICATED` or `FORBIDDEN`).

mod authz;
mod claims;
mod clock;
mod config;
mod error;
mod keys;
mod read;
mod transport;
mod verify;

#[cfg(test)]
mod authz_tests;
#[cfg(test)]
mod keys_tests;
#[cfg(test)]
mod read_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod time_claims_tests;
#[cfg(test)]
mod transport_tests;
#[cfg(test)]
mod verify_tests;

pub use authz::{ADMIN_ROLE, DEFAULT_WRITE_SCOPE, can_create, can_write, can_write_host};
pub use claims::{Caller, Claims};
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::{
    AuthConfig, AuthConfigError, DEFAULT_LEEWAY_SECONDS, MAX_LEEWAY_SECONDS,
    MIN_HS256_SECRET_BYTES, Secret,
};
pub use error::AuthError;
pub use read::{ReadPolicy, can_read, can_read_history, token_of_host};
pub use transport::{ACCESS_TOKEN_COOKIE, AuthRejection, CSRF_HEADER, MaybeCaller};
pub use verify::Authenticator;
