//! Every admin endpoint refuses anyone who is not an admin or a moderator: a member's token
//! (even one granted the admin scopes), a token without them, and no token at all. The walk
//! checks itself against the route files, so a new admin endpoint cannot be left out.

use reqwest::Method;
use serde_json::json;
use testkit::{TestNetwork, client::Client};

/// Every admin endpoint, `{id}` standing for any id.
const ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/api/v1/admin/accounts"),
    ("GET", "/api/v2/admin/accounts"),
    ("GET", "/api/v1/admin/accounts/{id}"),
    ("POST", "/api/v1/admin/accounts/{id}/action"),
    ("POST", "/api/v1/admin/accounts/{id}/enable"),
    ("POST", "/api/v1/admin/accounts/{id}/unsensitive"),
    ("POST", "/api/v1/admin/accounts/{id}/unsilence"),
    ("POST", "/api/v1/admin/accounts/{id}/unsuspend"),
    ("GET", "/api/passage/v1/admin/appeals"),
    ("POST", "/api/passage/v1/admin/appeals/{id}/approve"),
    ("POST", "/api/passage/v1/admin/appeals/{id}/reject"),
    ("GET", "/api/v1/admin/domain_permission_drafts"),
    ("POST", "/api/v1/admin/domain_permission_drafts"),
    ("GET", "/api/v1/admin/domain_permission_drafts/{id}"),
    ("POST", "/api/v1/admin/domain_permission_drafts/{id}/accept"),
    ("POST", "/api/v1/admin/domain_permission_drafts/{id}/remove"),
    (
        "POST",
        "/api/passage/v1/admin/domain_permission_drafts/accept",
    ),
    ("GET", "/api/v1/admin/domain_permission_excludes"),
    ("POST", "/api/v1/admin/domain_permission_excludes"),
    ("GET", "/api/v1/admin/domain_permission_excludes/{id}"),
    ("DELETE", "/api/v1/admin/domain_permission_excludes/{id}"),
    ("GET", "/api/v1/admin/domain_permission_subscriptions"),
    ("POST", "/api/v1/admin/domain_permission_subscriptions"),
    ("GET", "/api/v1/admin/domain_permission_subscriptions/{id}"),
    (
        "PATCH",
        "/api/v1/admin/domain_permission_subscriptions/{id}",
    ),
    (
        "DELETE",
        "/api/v1/admin/domain_permission_subscriptions/{id}",
    ),
    (
        "POST",
        "/api/v1/admin/domain_permission_subscriptions/{id}/test",
    ),
    (
        "POST",
        "/api/passage/v1/admin/domain_permission_subscriptions/{id}/refresh",
    ),
    ("POST", "/api/passage/v1/admin/domain_permissions/import"),
    ("GET", "/api/v1/admin/domain_blocks"),
    ("POST", "/api/v1/admin/domain_blocks"),
    ("GET", "/api/v1/admin/domain_blocks/{id}"),
    ("PUT", "/api/v1/admin/domain_blocks/{id}"),
    ("DELETE", "/api/v1/admin/domain_blocks/{id}"),
    ("GET", "/api/v1/admin/domain_allows"),
    ("POST", "/api/v1/admin/domain_allows"),
    ("GET", "/api/v1/admin/domain_allows/{id}"),
    ("DELETE", "/api/v1/admin/domain_allows/{id}"),
    ("GET", "/api/passage/v1/admin/domain_blocks/preview"),
    ("GET", "/api/passage/v1/admin/audit_log"),
    ("GET", "/api/passage/v1/admin/held_posts"),
    ("GET", "/api/passage/v1/admin/held_posts/{id}"),
    ("POST", "/api/passage/v1/admin/held_posts/{id}/approve"),
    ("POST", "/api/passage/v1/admin/held_posts/{id}/reject"),
    ("GET", "/api/passage/v1/admin/relays"),
    ("POST", "/api/passage/v1/admin/relays"),
    ("DELETE", "/api/passage/v1/admin/relays/{id}"),
    ("GET", "/api/passage/v1/admin/invites"),
    ("POST", "/api/passage/v1/admin/invites"),
    ("DELETE", "/api/passage/v1/admin/invites/{id}"),
    ("GET", "/api/v1/admin/email_domain_blocks"),
    ("POST", "/api/v1/admin/email_domain_blocks"),
    ("GET", "/api/v1/admin/email_domain_blocks/{id}"),
    ("DELETE", "/api/v1/admin/email_domain_blocks/{id}"),
    ("GET", "/api/v1/admin/reports"),
    ("GET", "/api/v1/admin/reports/{id}"),
    ("POST", "/api/v1/admin/reports/{id}/assign_to_self"),
    ("POST", "/api/v1/admin/reports/{id}/unassign"),
    ("POST", "/api/v1/admin/reports/{id}/resolve"),
    ("POST", "/api/v1/admin/reports/{id}/reopen"),
    ("POST", "/api/passage/v1/admin/reports/{id}/forward"),
    ("POST", "/api/passage/v1/admin/reports/{id}/notes"),
];

/// The admin paths the route files declare.
fn declared_paths() -> Vec<String> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/client_api/src/routes"
    );
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for piece in text.split('"').skip(1).step_by(2) {
            if piece.starts_with("/api/") && piece.contains("/admin/") {
                paths.push(piece.to_owned());
            }
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

#[test]
fn the_walk_covers_every_declared_admin_path() {
    for path in declared_paths() {
        assert!(
            ENDPOINTS.iter().any(|(_, p)| *p == path),
            "{path} is an admin endpoint the walk does not try"
        );
    }
}

async fn refused(who: &Client, method: &str, path: &str) -> u16 {
    let path = path.replace("{id}", "1");
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let answer = if method == Method::GET {
        who.get(&path).await
    } else {
        who.json(method.clone(), &path, json!({})).await
    };
    assert!(
        answer.body["error"].is_string(),
        "{method} {path}: {}",
        answer.text
    );
    answer.status.as_u16()
}

#[tokio::test]
async fn every_admin_endpoint_refuses_members_and_strangers() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    alpha.member("mia").await;
    let base = alpha.base_url();
    let with_admin_scopes =
        Client::login_with_scopes(&base, "mia", "read write admin:read admin:write").await;
    let member = alpha.login("mia").await;
    let stranger = Client::anonymous(&base);
    let mut walked = 0;
    for (method, path) in ENDPOINTS {
        assert_eq!(
            refused(&with_admin_scopes, method, path).await,
            403,
            "{method} {path}"
        );
        assert_eq!(refused(&member, method, path).await, 403, "{method} {path}");
        assert_eq!(
            refused(&stranger, method, path).await,
            401,
            "{method} {path}"
        );
        walked += 1;
    }
    println!("{walked} admin endpoints refused members and strangers");
    net.shutdown().await;
}
