//! The admin pages over HTTP as a browser uses them: a staff login with its cookie, a
//! report resolved and a domain blocked through the forms; and the refusals that keep them
//! safe: members and wrong passwords, forms without the session's token or from another
//! site, and a session that ends at logout.

use reqwest::{StatusCode, header};
use serde_json::json;
use testkit::{TestNetwork, client::PASSWORD};

/// A browser without JavaScript: it keeps the admin cookie and sends `Origin` with forms.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

impl Browser {
    fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            cookie: None,
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, String, String) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            request = request.header(header::COOKIE, c);
        }
        answer(request.send().await.unwrap()).await
    }

    /// Posts a form as a page of `origin` would.
    async fn post_from(
        &self,
        origin: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(header::ORIGIN, origin)
            .form(form);
        if let Some(c) = &self.cookie {
            request = request.header(header::COOKIE, c);
        }
        answer(request.send().await.unwrap()).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
        let origin = self.base.clone();
        self.post_from(&origin, path, form).await
    }

    /// Logs in; whether it worked.
    async fn login(&mut self, username: &str, password: &str) -> bool {
        let response = self
            .http
            .post(format!("{}/admin/login", self.base))
            .header(header::ORIGIN, &self.base)
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .unwrap();
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().to_owned());
        let Some(cookie) = cookie else { return false };
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        self.cookie = Some(cookie.split(';').next().unwrap().to_owned());
        true
    }

    /// The CSRF token the forms of a page carry.
    async fn csrf(&self, path: &str) -> String {
        let (_, _, html) = self.get(path).await;
        let at = html
            .find("name=\"csrf\" value=\"")
            .expect("a form with a token");
        let rest = &html[at + 19..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

async fn answer(r: reqwest::Response) -> (StatusCode, String, String) {
    let status = r.status();
    let location = r
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

#[tokio::test]
async fn moderators_resolve_a_report_and_block_a_domain_from_the_pages() {
    let net = TestNetwork::start(1).await;
    let alpha = net.get(0);
    alpha.admin("root").await;
    alpha.member("ana").await;
    let ana = alpha.login("ana").await;
    let sam = alpha.member("sam").await;
    let filed = ana
        .json(
            reqwest::Method::POST,
            "/api/v1/reports",
            json!({"account_id": sam.id.to_string(), "comment": "Spams our members",
                   "category": "spam"}),
        )
        .await;
    assert_eq!(filed.status, 200, "{}", filed.text);
    let base = alpha.base_url();

    // Strangers are sent to the login; members and wrong passwords are refused alike.
    let mut browser = Browser::new(&base);
    let (status, to, _) = browser.get("/admin/reports").await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/admin/login")
    );
    assert!(!browser.login("ana", PASSWORD).await);
    assert!(!browser.login("root", "not the password").await);
    assert!(browser.login("root", PASSWORD).await);

    // The report is listed; resolving it from its form works and is audited.
    let (status, _, html) = browser.get("/admin/reports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Spams our members") && html.contains("@sam@"),
        "{html}"
    );
    let id = filed.body["id"].as_str().unwrap();
    let csrf = browser.csrf("/admin/reports").await;
    let note = [("csrf", csrf.as_str()), ("text", "Second report this week")];
    let (status, to, _) = browser
        .post(&format!("/admin/reports/{id}/note"), &note)
        .await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/admin/reports?done=noted")
    );
    let (_, _, html) = browser.get("/admin/reports").await;
    assert!(
        html.contains("@root:</span> Second report this week"),
        "{html}"
    );
    let (status, to, _) = browser
        .post(&format!("/admin/reports/{id}/resolve"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/admin/reports?done=resolved")
    );
    let (_, _, html) = browser.get("/admin/reports?done=resolved").await;
    assert!(
        html.contains("The report is resolved.") && html.contains("No reports."),
        "{html}"
    );

    // A domain blocked from its form; a bad domain gets the error on the page.
    let form = [
        ("csrf", csrf.as_str()),
        ("domain", "spam.example"),
        ("severity", "suspend"),
        ("reject_media", "1"),
        ("private_comment", "spam wave"),
    ];
    let (status, to, _) = browser.post("/admin/domains/block", &form).await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/admin/domains?done=blocked")
    );
    let (_, _, html) = browser.get("/admin/domains").await;
    assert!(
        html.contains("spam.example") && html.contains("reject media"),
        "{html}"
    );
    let bad = [
        ("csrf", csrf.as_str()),
        ("domain", "not a domain!"),
        ("severity", "suspend"),
    ];
    let (status, _, html) = browser.post("/admin/domains/block", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("is not a domain name"), "{html}");
    let (_, _, html) = browser.get("/admin/audit").await;
    assert!(
        html.contains("report.resolve") && html.contains("domain_block.create"),
        "{html}"
    );

    // Forms without the token, or from another site, are refused and change nothing.
    let forged = [("domain", "forged.example"), ("severity", "suspend")];
    let (status, _, _) = browser.post("/admin/domains/block", &forged).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let with_token = [
        ("csrf", csrf.as_str()),
        ("domain", "forged.example"),
        ("severity", "suspend"),
    ];
    let (status, _, _) = browser
        .post_from("https://evil.example", "/admin/domains/block", &with_token)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, _, html) = browser.get("/admin/domains").await;
    assert!(!html.contains("forged.example"));

    // Logging out ends the session on the server, not only in the browser.
    let (status, _, _) = browser.post("/admin/logout", &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, to, _) = browser.get("/admin/reports").await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/admin/login")
    );
    net.shutdown().await;
}
