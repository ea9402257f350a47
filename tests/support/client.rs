//! A Mastodon API client for tests, speaking plain HTTP to a running instance the way apps do:
//! it registers an app, goes through the login page (a real form POST), exchanges the code
//! (with PKCE) and then calls the API with its bearer token.

use reqwest::{Method, StatusCode, header::HeaderMap, redirect::Policy};
use serde_json::{Value, json};

pub const PASSWORD: &str = "correct horse battery staple";
/// A custom-scheme redirect, as Tusky registers.
pub const REDIRECT: &str = "oauth2redirect://org.passage.test/";

#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
}

/// An answer: status, headers and the body as JSON (`Value::Null` if it was not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// The `Link` header, if any.
    pub fn link(&self) -> Option<String> {
        self.headers
            .get("link")
            .map(|v| v.to_str().unwrap().to_owned())
    }

    pub fn content_type(&self) -> String {
        self.headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }
}

/// GETs `url` as a peer does (`Accept: application/activity+json`): the status and the JSON.
pub async fn fetch_ap(url: &str) -> (u16, Value) {
    let answer = http()
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

impl Client {
    pub fn anonymous(base: &str) -> Self {
        Self {
            http: http(),
            base: base.to_owned(),
            token: None,
        }
    }

    /// The whole authorization-code flow with PKCE and a custom-scheme redirect.
    pub async fn login(base: &str, username: &str) -> Self {
        Self::login_with_scopes(base, username, "read write follow push").await
    }

    /// [`Client::login`] asking for `scopes` (`admin:read admin:write` for moderators).
    pub async fn login_with_scopes(base: &str, username: &str, scopes: &str) -> Self {
        let mut client = Self::anonymous(base);
        let app = client
            .json(
                Method::POST,
                "/api/v1/apps",
                json!({"client_name": "Passage tests", "redirect_uris": REDIRECT, "scopes": scopes}),
            )
            .await;
        assert_eq!(app.status, 200, "{}", app.text);
        let verifier = "passage-test-verifier-0123456789-0123456789-abcdefgh";
        let challenge = pkce_challenge(verifier);
        let form = [
            ("client_id", app.body["client_id"].as_str().unwrap()),
            ("redirect_uri", REDIRECT),
            ("scope", scopes),
            ("state", "xyz"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("username", username),
            ("password", PASSWORD),
            ("decision", "allow"),
        ];
        let answer = client
            .http
            .post(format!("{base}/oauth/authorize"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_redirection(), "{}", answer.status());
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        let code = code_from(&location);
        let token = client
            .json(
                Method::POST,
                "/oauth/token",
                json!({
                    "grant_type": "authorization_code",
                    "client_id": app.body["client_id"],
                    "client_secret": app.body["client_secret"],
                    "redirect_uri": REDIRECT,
                    "code": code,
                    "code_verifier": verifier,
                }),
            )
            .await;
        assert_eq!(token.status, 200, "{}", token.text);
        client.token = Some(token.body["access_token"].as_str().unwrap().to_owned());
        client
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let request = match &self.token {
            Some(t) => request.bearer_auth(t),
            None => request,
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    pub async fn json(&self, method: Method, path: &str, body: Value) -> Answer {
        self.send(
            self.http
                .request(method, format!("{}{path}", self.base))
                .json(&body),
        )
        .await
    }

    /// POSTs a multipart form (an upload).
    pub async fn multipart(&self, path: &str, form: reqwest::multipart::Form) -> Answer {
        self.multipart_as(Method::POST, path, form).await
    }

    /// Sends a multipart form with another method (`PATCH` of `update_credentials`).
    pub async fn multipart_as(
        &self,
        method: Method,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> Answer {
        self.send(
            self.http
                .request(method, format!("{}{path}", self.base))
                .multipart(form),
        )
        .await
    }

    pub async fn form(&self, method: Method, path: &str, form: &[(&str, &str)]) -> Answer {
        self.send(
            self.http
                .request(method, format!("{}{path}", self.base))
                .form(form),
        )
        .await
    }

    pub async fn post(&self, path: &str) -> Answer {
        self.form(Method::POST, path, &[]).await
    }

    /// Posts a status (JSON, as masto and toot send it) and returns it.
    pub async fn status(&self, text: &str) -> Value {
        let answer = self
            .json(Method::POST, "/api/v1/statuses", json!({"status": text}))
            .await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.body
    }
}

/// The `code` parameter of a redirect location.
pub fn code_from(location: &str) -> String {
    let query = location.split_once('?').unwrap().1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

/// BASE64URL(SHA-256(verifier)), as RFC 7636 defines S256.
pub fn pkce_challenge(verifier: &str) -> String {
    use base64::Engine;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}
