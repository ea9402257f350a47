//! Every listed route called as every kind of caller, with made-up ids (the door is checked
//! before anything is looked up): nobody gets past a door that is not theirs, and no call
//! answers with a server error.

use super::{Rule, routes::ROUTES};
use reqwest::{Method, StatusCode};
use serde_json::json;
use testkit::{TestNetwork, client::Client};

/// The kinds of caller at a door.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    /// A member's token for uploads only (`write:media`).
    Narrow,
    /// A member whose login a moderator froze, with a full token.
    Frozen,
    Member,
    /// An admin with the admin scopes.
    Staff,
}

const CALLERS: [Caller; 5] = [
    Caller::Anonymous,
    Caller::Narrow,
    Caller::Frozen,
    Caller::Member,
    Caller::Staff,
];

/// What the narrow token holds.
const NARROW: &str = "write:media";

/// A path with its parameters filled with values that name nothing.
fn concrete(path: &str) -> String {
    path.replace("{*stream}", "user")
        .replace("{*rest}", "nothing/here")
        .replace("{id}", "987654321987")
        .replace("{media_id}", "987654321987")
        .replace("{name}", "nobody")
        .replace("{tag}", "housing")
        .replace("{file}", "following.csv")
        .replace("{version}", "2.0")
        .replace("{step}", "resolve")
        .replace("{token}", "not-a-token")
        .replace("{code}", "not-a-code")
}

/// Whether the door let the caller in. A 404 for a made-up id is behind the door; a 403, or
/// a 401 for the token, is the door. A 401 for something else (a wrong password in the
/// body) is an answer from behind it.
fn let_in(status: StatusCode, error: &str) -> bool {
    status != StatusCode::FORBIDDEN
        && !(status == StatusCode::UNAUTHORIZED && error == "The access token is invalid")
}

/// A request refused before any door for being malformed (a parameter missing): it reads
/// nothing stored, so it counts as refused.
fn malformed(status: StatusCode) -> bool {
    status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY
}

/// What the rule promises this caller; None where only "no server error" is promised.
fn expected(rule: Rule, caller: Caller) -> Option<bool> {
    let holds = |scope: &str| scope.is_empty() || scope == NARROW;
    Some(match (rule, caller) {
        (Rule::Public(_), Caller::Anonymous) => true,
        (Rule::Public(scope), Caller::Narrow) => holds(scope),
        (Rule::Public(scope), Caller::Frozen) => scope.is_empty(),
        (Rule::Public(_), _) => true,
        (Rule::Member(scope), Caller::Narrow) => holds(scope),
        (Rule::Member(_), Caller::Anonymous | Caller::Frozen) => false,
        (Rule::Member(_), _) => true,
        (Rule::MemberEvenFrozen(scope), Caller::Narrow) => holds(scope),
        (Rule::MemberEvenFrozen(_), Caller::Anonymous) => false,
        (Rule::MemberEvenFrozen(_), _) => true,
        (Rule::Staff(_), Caller::Staff) => true,
        (Rule::Staff(_), _) => false,
        (Rule::Signed, Caller::Anonymous) => return None,
        _ => return None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_door_holds_for_every_caller() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    for name in ["ana", "fay"] {
        a.member(name).await;
    }
    let base = a.base_url();
    let member = a.login("ana").await;
    let narrow = Client::login_with_scopes(&base, "ana", NARROW).await;
    let frozen = a.login("fay").await;
    let staff = a.admin("root").await;
    let fay = a.member_id("fay").await;
    let froze = staff
        .json(
            Method::POST,
            &format!("/api/v1/admin/accounts/{fay}/action"),
            json!({"type": "disable"}),
        )
        .await;
    assert_eq!(froze.status, 200, "{}", froze.text);
    let anonymous = Client::anonymous(&base);
    let client = |caller: Caller| match caller {
        Caller::Anonymous => &anonymous,
        Caller::Narrow => &narrow,
        Caller::Frozen => &frozen,
        Caller::Member => &member,
        Caller::Staff => &staff,
    };

    let mut cases = 0;
    let mut wrong = Vec::new();
    for (method, path, rule) in ROUTES {
        let url = concrete(path);
        let method = match *method {
            "ANY" => Method::GET,
            m => Method::from_bytes(m.as_bytes()).unwrap(),
        };
        for caller in CALLERS {
            let who = client(caller);
            let mut request = who
                .http
                .request(method.clone(), format!("{base}{url}"))
                .header("accept", "application/json");
            if let Some(token) = &who.token {
                request = request.bearer_auth(token);
            }
            if method != Method::GET {
                request = request.json(&json!({}));
            }
            // Headers are enough: a stream that opens is left at once.
            let response = request.send().await.unwrap();
            let status = response.status();
            let error = if status == StatusCode::UNAUTHORIZED {
                let body: serde_json::Value = response.json().await.unwrap_or_default();
                body["error"].as_str().unwrap_or_default().to_owned()
            } else {
                String::new()
            };
            let in_ = let_in(status, &error);
            cases += 1;
            if status.is_server_error() {
                wrong.push(format!("{method} {url} as {caller:?}: {status}"));
                continue;
            }
            if let Some(allowed) = expected(*rule, caller)
                && allowed != in_
                && (allowed || !malformed(status))
            {
                let want = if allowed { "in" } else { "refused" };
                wrong.push(format!(
                    "{method} {url} as {caller:?}: {status}, expected {want}"
                ));
            }
            if matches!(rule, Rule::AdminSession) && caller == Caller::Anonymous {
                let refused = status.is_redirection() || !in_;
                if !refused {
                    wrong.push(format!("{method} {url} without a session: {status}"));
                }
            }
            let unsigned_refused =
                status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN;
            if matches!(rule, Rule::Signed) && method == Method::POST && !unsigned_refused {
                wrong.push(format!("{method} {url} unsigned: {status}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} doors wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    println!("authorisation matrix: {cases} route × caller cases");
    net.shutdown().await;
}
