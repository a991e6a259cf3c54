//! Owners by kind over HTTP: a `role:` entry is matched against roles only, a
//! bare (or `user:`) entry against the user id only, so a user whose id is a
//! role's name cannot write that role's scopes, nor the reverse.

use serde_json::json;

use super::{B_SERVICE, OTHER, ask, code, stored, token, two_tenants};

const RENAME: &str = r#"mutation ($h: String, $id: String!, $name: String) {
  updateScope(host: $h, id: $id, input: { name: $name }) { changeId }
}"#;

const PLATFORM: &str = "b-platform";

/// The scope the documents give a `role:` owner, and the one with a user owner.
const TARGETS: [&str; 2] = [PLATFORM, B_SERVICE];

#[tokio::test]
async fn a_user_id_named_like_a_role_does_not_own_the_roles_scope_nor_a_role_named_like_a_user() {
    let app = two_tenants(|_| {}).await;
    let before = stored(&app, OTHER).await;
    // b-platform is owned by role:b-platform-team, the service by user b-owner.
    let refused = [
        (
            "uid b-platform-team",
            token("b-platform-team", "user", "portal.w", OTHER),
            PLATFORM,
        ),
        (
            "role b-owner",
            token("carl", "user b-owner", "portal.w", OTHER),
            B_SERVICE,
        ),
        (
            "role user:b-owner",
            token("dan", "user:b-owner", "portal.w", OTHER),
            B_SERVICE,
        ),
        (
            "role role:b-platform-team",
            token("eve", "role:b-platform-team", "portal.w", OTHER),
            PLATFORM,
        ),
        (
            "role b-platform-team on the user's scope",
            token("fay", "b-platform-team", "portal.w", OTHER),
            B_SERVICE,
        ),
        (
            "uid b-owner on the role's scope",
            token("b-owner", "user", "portal.w", OTHER),
            PLATFORM,
        ),
    ];
    for (who, t, scope) in &refused {
        let vars = json!({ "h": OTHER, "id": scope, "name": format!("renamed by {who}") });
        let answer = ask(&app, Some(t), RENAME, vars).await;
        assert_eq!(code(&answer), "FORBIDDEN", "{who} on {scope}: {answer:#}");
    }
    assert_eq!(
        stored(&app, OTHER).await,
        before,
        "no refused write changed anything"
    );
    let health = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .expect("health");
    assert!(health.status().is_success(), "the server still answers");

    let allowed = [
        (
            "role b-platform-team",
            token("gus", "user b-platform-team", "portal.w", OTHER),
            PLATFORM,
        ),
        (
            "uid b-owner",
            token("b-owner", "user", "portal.w", OTHER),
            B_SERVICE,
        ),
    ];
    for (who, t, scope) in &allowed {
        let vars = json!({ "h": OTHER, "id": scope, "name": format!("renamed by {who}") });
        let answer = ask(&app, Some(t), RENAME, vars).await;
        assert!(answer["errors"].is_null(), "{who} on {scope}: {answer:#}");
    }
    let after = stored(&app, OTHER).await.1;
    for scope in TARGETS {
        let doc = after
            .iter()
            .find(|d| d.scope.id.as_str() == scope)
            .expect("scope");
        assert!(
            doc.scope.name.starts_with("renamed by"),
            "{scope}: {}",
            doc.scope.name
        );
    }
}

#[tokio::test]
async fn an_owner_prefix_without_a_name_is_refused_on_every_write_path() {
    let app = two_tenants(|_| {}).await;
    let admin = token("ada", "admin", "portal.w", OTHER);
    let before = stored(&app, OTHER).await;
    let set_owners = r#"mutation ($h: String, $id: String!, $owners: [String!]) {
      updateScope(host: $h, id: $id, input: { owners: $owners }) { changeId }
    }"#;
    for owners in [
        json!(["role:"]),
        json!(["user:"]),
        json!(["role:  "]),
        json!(["ok", "user:\t"]),
    ] {
        let vars = json!({ "h": OTHER, "id": B_SERVICE, "owners": owners });
        let answer = ask(&app, Some(&admin), set_owners, vars).await;
        assert_eq!(code(&answer), "BAD_USER_INPUT", "{owners}: {answer:#}");
    }
    let import = format!(
        "host: {OTHER}\nscope: {B_SERVICE}\nname: B service\nkind: SERVICE\nparents: [b-platform]\nowners: ['role:']\n"
    );
    let answer = ask(
        &app,
        Some(&admin),
        r#"mutation ($y: String!) { importRunbook(yaml: $y) { changeId } }"#,
        json!({ "y": import }),
    )
    .await;
    assert_eq!(code(&answer), "BAD_USER_INPUT", "{answer:#}");
    assert_eq!(stored(&app, OTHER).await, before, "nothing was written");
    let read = ask(
        &app,
        Some(&admin),
        r#"query ($h: String) { scope(host: $h, id: "b-platform") { owners } }"#,
        json!({ "h": OTHER }),
    )
    .await;
    assert_eq!(
        read["data"]["scope"]["owners"],
        json!(["role:b-platform-team"]),
        "{read:#}"
    );
}
