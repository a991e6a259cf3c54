//! How errors reach GraphQL clients: a message safe to show and a stable
//! `extensions.code` (plus `extensions.field` when an input field is at fault).

use async_graphql::ErrorExtensions;

use crate::error::ApiError;

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.message.clone()).extend_with(|_, ext| {
            ext.set("code", self.code.as_str());
            if let Some(field) = &self.field {
                ext.set("field", field.as_str());
            }
            if let Some((name, value)) = self.details.as_deref()
                && let Ok(value) = async_graphql::Value::from_json(value.clone())
            {
                ext.set(*name, value);
            }
        })
    }
}

/// Converts an API error into a GraphQL error with its extensions.
pub fn gql(e: ApiError) -> async_graphql::Error {
    e.extend()
}

/// Parses an input argument, naming the argument in the error.
pub fn arg<T: std::str::FromStr<Err = crate::domain::InvalidId>>(
    field: &str,
    value: &str,
) -> async_graphql::Result<T> {
    value
        .parse()
        .map_err(|e: crate::domain::InvalidId| gql(ApiError::bad_input(field, e.to_string())))
}
