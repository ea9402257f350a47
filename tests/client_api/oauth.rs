//! Logging in: app registration, the login page, every grant, and token checks.

use reqwest::Method;
use serde_json::json;
use testkit::{
    TestNetwork,
    client::{Client, PASSWORD, code_from, http},
};

#[tokio::test]
async fn out_of_band_login_shows_the_code_and_the_token_carries_the_scopes() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("ana").await;
    let anon = Client::anonymous(&a.base_url());
    // Mastodon.py registers with a form and the default scopes, including `push`.
    let app = anon
        .form(
            Method::POST,
            "/api/v1/apps",
            &[
                ("client_name", "Mastodon.py"),
                ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
                ("scopes", "read write follow push"),
            ],
        )
        .await;
    assert_eq!(app.status, 200, "{}", app.text);
    assert_eq!(app.body["redirect_uri"], "urn:ietf:wg:oauth:2.0:oob");
    let client_id = app.body["client_id"].as_str().unwrap();
    let secret = app.body["client_secret"].as_str().unwrap();

    // toot opens the page with a trailing slash.
    let page = anon
        .get(&format!(
            "/oauth/authorize/?response_type=code&client_id={client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read+write+follow+push"
        ))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Mastodon.py") && page.text.contains("<form"));

    let wrong = anon
        .form(
            Method::POST,
            "/oauth/authorize",
            &[
                ("client_id", client_id),
                ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
                ("scope", "read write follow push"),
                ("username", "ana"),
                ("password", "not the password"),
                ("decision", "allow"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.text.contains("Invalid username or password"));

    let shown = anon
        .form(
            Method::POST,
            "/oauth/authorize",
            &[
                ("client_id", client_id),
                ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
                ("scope", "read write follow push"),
                ("username", "ana"),
                ("password", PASSWORD),
                ("decision", "allow"),
            ],
        )
        .await;
    assert_eq!(shown.status, 200);
    let code = shown
        .text
        .split("id=\"code\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    let token = anon
        .form(
            Method::POST,
            "/oauth/token",
            &[
                ("grant_type", "authorization_code"),
                ("client_id", client_id),
                ("client_secret", secret),
                ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(token.status, 200, "{}", token.text);
    assert_eq!(token.body["scope"], "read write follow push");
    assert_eq!(token.body["token_type"], "Bearer");

    let mut me = Client::anonymous(&a.base_url());
    me.token = token.body["access_token"].as_str().map(str::to_owned);
    let creds = me.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(creds.status, 200);
    assert_eq!(creds.body["acct"], "ana");
    assert_eq!(creds.body["source"]["privacy"], "public");

    // The code was used up.
    let again = anon
        .form(
            Method::POST,
            "/oauth/token",
            &[
                ("grant_type", "authorization_code"),
                ("client_id", client_id),
                ("client_secret", secret),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(again.status, 400);
    assert_eq!(again.body["error"], "invalid_grant");
    net.shutdown().await;
}

#[tokio::test]
async fn custom_scheme_redirects_keep_the_state_and_pkce_is_enforced() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("bea").await;
    let anon = Client::anonymous(&a.base_url());
    let redirect = "com.tapbots.Ivory.19300:/request_token";
    let app = anon
        .json(
            Method::POST,
            "/api/v1/apps",
            json!({"client_name": "Ivory", "redirect_uris": [redirect], "scopes": "read write"}),
        )
        .await;
    let client_id = app.body["client_id"].as_str().unwrap();
    let challenge =
        testkit::client::pkce_challenge("a-verifier-of-enough-length-for-rfc-7636-0000000");
    let answer = http()
        .post(format!("{}/oauth/authorize", a.base_url()))
        .form(&[
            ("client_id", client_id),
            ("redirect_uri", redirect),
            ("scope", "read"),
            ("state", "s1"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("username", "bea@example.org"),
            ("password", PASSWORD),
            ("decision", "allow"),
        ])
        .send()
        .await
        .unwrap();
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("com.tapbots.Ivory.19300:/request_token?code="),
        "{location}"
    );
    assert!(location.ends_with("&state=s1"), "{location}");
    let exchange = |verifier: &'static str, code: String| {
        let anon = &anon;
        let secret = app.body["client_secret"].clone();
        async move {
            anon.json(
                Method::POST,
                "/oauth/token",
                json!({"grant_type": "authorization_code", "client_id": client_id,
                       "client_secret": secret, "code": code, "code_verifier": verifier}),
            )
            .await
        }
    };
    let refused = exchange(
        "some-other-verifier-that-is-long-enough-0000000000",
        code_from(&location),
    )
    .await;
    assert_eq!(refused.body["error"], "invalid_grant", "{}", refused.text);

    // An unregistered redirect URI is refused on the page, before any redirect.
    let other = anon
        .get(&format!(
            "/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri=https://evil.example/"
        ))
        .await;
    assert_eq!(other.status, 400);
    net.shutdown().await;
}

#[tokio::test]
async fn password_grant_scopes_revocation_and_json_errors() {
    let net = TestNetwork::start(1).await;
    let a = net.get(0);
    a.member("cem").await;
    let anon = Client::anonymous(&a.base_url());
    let app = anon
        .json(
            Method::POST,
            "/api/v1/apps",
            json!({"client_name": "script", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"}),
        )
        .await;
    let (id, secret) = (
        app.body["client_id"].clone(),
        app.body["client_secret"].clone(),
    );
    let read_only = anon
        .json(
            Method::POST,
            "/oauth/token",
            json!({"grant_type": "password", "client_id": id, "client_secret": secret,
                   "username": "cem", "password": PASSWORD, "scope": "read"}),
        )
        .await;
    assert_eq!(read_only.status, 200, "{}", read_only.text);
    assert_eq!(read_only.body["scope"], "read");
    let mut cem = Client::anonymous(&a.base_url());
    cem.token = read_only.body["access_token"].as_str().map(str::to_owned);

    // Reading works, writing is outside the scope: 403 as JSON.
    assert_eq!(cem.get("/api/v1/timelines/home").await.status, 200);
    let denied = cem
        .json(Method::POST, "/api/v1/statuses", json!({"status": "hi"}))
        .await;
    assert_eq!(denied.status, 403);
    assert!(denied.content_type().starts_with("application/json"));
    assert!(
        denied.body["error"]
            .as_str()
            .unwrap()
            .contains("write:statuses")
    );

    // More than the app registered is refused.
    let too_much = anon
        .json(
            Method::POST,
            "/oauth/token",
            json!({"grant_type": "password", "client_id": id, "client_secret": secret,
                   "username": "cem", "password": PASSWORD, "scope": "read write follow"}),
        )
        .await;
    assert_eq!(too_much.body["error"], "invalid_scope");

    let revoked = anon
        .json(
            Method::POST,
            "/oauth/revoke",
            json!({"client_id": id, "client_secret": secret, "token": cem.token}),
        )
        .await;
    assert_eq!(revoked.status, 200);
    let after = cem.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(after.status, 401);
    assert!(after.body["error"].is_string());

    let wrong_secret = anon
        .json(
            Method::POST,
            "/oauth/token",
            json!({"grant_type": "client_credentials", "client_id": id, "client_secret": "nope"}),
        )
        .await;
    assert_eq!(wrong_secret.status, 401);
    assert_eq!(wrong_secret.body["error"], "invalid_client");
    net.shutdown().await;
}

#[tokio::test]
async fn an_account_over_its_rate_waits_and_others_do_not() {
    let mut net = testkit::TestNetwork::start(1).await;
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.limits.api_per_account_per_5_minutes = 3;
    a.start().await;
    let a = net.get(0);
    a.member("ana").await;
    a.member("bo").await;
    let ana = a.login("ana").await;
    let bo = a.login("bo").await;
    for _ in 0..3 {
        assert_eq!(
            ana.get("/api/v1/accounts/verify_credentials").await.status,
            200
        );
    }
    let over = ana.get("/api/v1/timelines/home").await;
    assert_eq!(over.status, 429, "{}", over.text);
    assert_eq!(over.body["error"], "Too many requests");
    let wait: u64 = over.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=101).contains(&wait), "{wait}");
    assert_eq!(bo.get("/api/v1/timelines/home").await.status, 200);
    net.shutdown().await;
}

#[tokio::test]
async fn calls_without_a_token_are_counted_per_address() {
    let mut net = testkit::TestNetwork::start(1).await;
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.limits.api_per_ip_per_5_minutes = 5;
    a.start().await;
    let a = net.get(0);
    a.member("ana").await;
    let ana = a.login("ana").await;
    // Logging in spent some of this address's calls (the app's registration, the token).
    let stranger = testkit::client::Client::anonymous(&a.base_url());
    let mut answers = Vec::new();
    for _ in 0..6 {
        answers.push(stranger.get("/api/v1/instance").await);
    }
    let statuses: Vec<u16> = answers.iter().map(|x| x.status.as_u16()).collect();
    assert!(statuses.contains(&200), "{statuses:?}");
    let over = answers.last().unwrap();
    assert_eq!(over.status, 429, "{statuses:?}");
    assert!(over.headers.contains_key("retry-after"));
    // A member from the same address counts against her account instead.
    assert_eq!(ana.get("/api/v1/timelines/home").await.status, 200);
    net.shutdown().await;
}

#[tokio::test]
async fn password_guessing_is_slowed_per_account_and_per_address() {
    let mut net = testkit::TestNetwork::start(1).await;
    let a = &mut net.instances[0];
    a.stop().await;
    a.config.limits.login_per_account_per_5_minutes = 3;
    a.config.limits.login_per_ip_per_5_minutes = 5;
    a.start().await;
    let a = net.get(0);
    for name in ["ana", "bea"] {
        a.member(name).await;
    }
    let anon = Client::anonymous(&a.base_url());
    let app = anon
        .json(
            Method::POST,
            "/api/v1/apps",
            json!({"client_name": "script", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"}),
        )
        .await;
    let grant = |username: &'static str, password: &'static str| {
        json!({"grant_type": "password", "client_id": app.body["client_id"],
               "client_secret": app.body["client_secret"],
               "username": username, "password": password})
    };
    // Three wrong guesses at ana's password, then even the right one waits.
    for _ in 0..3 {
        let wrong = anon
            .json(Method::POST, "/oauth/token", grant("ana", "guess"))
            .await;
        assert_eq!(wrong.status, 400, "{}", wrong.text);
    }
    let right = anon
        .json(Method::POST, "/oauth/token", grant("ana", PASSWORD))
        .await;
    assert_eq!(right.status, 429, "{}", right.text);
    assert!(right.headers.contains_key("retry-after"));
    // By her address instead of her name: the same account, the same count.
    let by_email = anon
        .json(
            Method::POST,
            "/oauth/token",
            grant("ANA@example.org", PASSWORD),
        )
        .await;
    assert_eq!(by_email.status, 429, "{}", by_email.text);
    // bea is not held back by ana's guesser.
    let bea = anon
        .json(Method::POST, "/oauth/token", grant("bea", PASSWORD))
        .await;
    assert_eq!(bea.status, 200, "{}", bea.text);

    // The login forms count per address too: five posts, whatever the names, then 429.
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for n in 0..6 {
        let response = http
            .post(format!("{}/admin/login", a.base_url()))
            .header("origin", a.base_url())
            .form(&[
                ("username", format!("user{n}")),
                ("password", "guess".to_owned()),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
    net.shutdown().await;
}
