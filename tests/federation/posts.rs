//! Posts reach exactly their audience; edits, deletes, likes and boosts propagate.

use passage_core::{
    Actor, Post,
    posts::{self, NewPost},
    reactions, timelines,
    visibility::Visibility,
};
use testkit::{TestInstance, TestNetwork};

async fn boosted_by(instance: &TestInstance, actor: &Actor, post: &Post) -> bool {
    passage_db::queries::posts::reblog_by(&instance.ctx().db, actor.id, post.id)
        .await
        .unwrap()
        .is_some()
}

async fn home_has(instance: &TestInstance, viewer: &Actor, post: &Post) -> bool {
    timelines::home(
        instance.ctx(),
        viewer,
        passage_db::Page {
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .iter()
    .any(|p| p.ap_id == post.ap_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_visibility_reaches_exactly_its_audience() {
    let net = TestNetwork::start(3).await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    let ana = alpha.person("ana").await;
    let bob = beta.person("bob").await; // follows ana
    let dave = beta.person("dave").await; // same server as bob, follows nobody
    let carol = gamma.person("carol").await; // follows nobody; gets a direct message

    net.follow(1, &bob, 0, &ana).await;
    let carol_at_alpha = alpha.lookup(&format!("carol@{}", gamma.domain())).await;

    let public = posts::create(
        alpha.ctx(),
        &ana,
        NewPost::public("Consultation on #housing next week"),
    )
    .await
    .unwrap();
    let mut followers_only = NewPost::public("Draft minutes for followers");
    followers_only.visibility = Visibility::Private;
    let followers_only = posts::create(alpha.ctx(), &ana, followers_only)
        .await
        .unwrap();
    let mut direct = NewPost::public(&format!("@carol@{} your toolkit request", gamma.domain()));
    direct.visibility = Visibility::Direct;
    direct.mentions = vec![carol_at_alpha.clone()];
    let direct = posts::create(alpha.ctx(), &ana, direct).await.unwrap();
    net.deliver_all().await;

    // Public: beta (a follower's server) has it with its hashtag; gamma has no follower.
    let public_at_beta = beta
        .copy_of(&public)
        .await
        .expect("public post reached beta");
    assert_eq!(public_at_beta.visibility, "public");
    assert!(public_at_beta.content.contains("housing"));
    assert_eq!(public_at_beta.language.as_deref(), Some("en"));
    assert!(home_has(beta, &bob, &public).await);
    assert!(!home_has(beta, &dave, &public).await);
    assert!(gamma.copy_of(&public).await.is_none());

    // Followers-only: the follower sees it; his neighbour on the same server does not.
    let private_at_beta = beta
        .copy_of(&followers_only)
        .await
        .expect("reached the follower's server");
    assert_eq!(private_at_beta.visibility, "private");
    assert!(home_has(beta, &bob, &followers_only).await);
    assert!(!home_has(beta, &dave, &followers_only).await);
    assert!(gamma.copy_of(&followers_only).await.is_none());

    // Direct: only carol's server, only carol.
    let direct_at_gamma = gamma.copy_of(&direct).await.expect("reached carol");
    assert_eq!(direct_at_gamma.visibility, "direct");
    assert!(home_has(gamma, &carol, &direct).await);
    assert!(
        beta.copy_of(&direct).await.is_none(),
        "followers never see a direct post"
    );
    assert!(!home_has(beta, &bob, &direct).await);

    // Deleting the direct post reaches its only recipient.
    posts::delete(alpha.ctx(), &ana, direct.id).await.unwrap();
    net.deliver_all().await;
    assert!(gamma.copy_of(&direct).await.unwrap().deleted_at.is_some());
    assert!(!home_has(gamma, &carol, &direct).await);

    // The followers-only document is not served to anonymous fetches.
    let anonymous = reqwest::get(&followers_only.ap_id).await.unwrap();
    assert_eq!(anonymous.status(), 404);
    let public_doc = reqwest::Client::new()
        .get(&public.ap_id)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(public_doc.status(), 200);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_deletes_likes_and_boosts_propagate() {
    let net = TestNetwork::start(2).await;
    let (alpha, beta) = (net.get(0), net.get(1));
    let ana = alpha.person("ana").await;
    let bob = beta.person("bob").await;
    net.follow(1, &bob, 0, &ana).await;

    let post = posts::create(alpha.ctx(), &ana, NewPost::public("Training on Tuesday"))
        .await
        .unwrap();
    net.deliver_all().await;
    let copy = beta.copy_of(&post).await.unwrap();

    posts::edit(
        alpha.ctx(),
        &ana,
        post.id,
        posts::Edit::text("Training moved to Wednesday"),
    )
    .await
    .unwrap();
    net.deliver_all().await;
    let edited = beta.copy_of(&post).await.unwrap();
    assert!(edited.content.contains("Wednesday"), "{}", edited.content);
    assert!(edited.edited_at.is_some());

    // Bob likes and boosts ana's post from beta; alpha hears both.
    reactions::like(beta.ctx(), &bob, &copy).await.unwrap();
    reactions::boost(beta.ctx(), &bob, &copy).await.unwrap();
    net.deliver_all().await;
    assert_eq!(reactions::like_count(alpha.ctx(), &post).await.unwrap(), 1);
    let bob_at_alpha = alpha.known(&bob).await;
    assert!(
        boosted_by(alpha, &bob_at_alpha, &post).await,
        "the Announce arrived"
    );

    // And withdraws both.
    reactions::unlike(beta.ctx(), &bob, &copy).await.unwrap();
    reactions::unboost(beta.ctx(), &bob, &copy).await.unwrap();
    net.deliver_all().await;
    assert_eq!(reactions::like_count(alpha.ctx(), &post).await.unwrap(), 0);
    assert!(
        !boosted_by(alpha, &bob_at_alpha, &post).await,
        "the Undo(Announce) arrived"
    );

    // Delete leaves a tombstone everywhere, and the id answers 410.
    posts::delete(alpha.ctx(), &ana, post.id).await.unwrap();
    net.deliver_all().await;
    let deleted = beta.copy_of(&post).await.unwrap();
    assert!(deleted.deleted_at.is_some());
    assert!(deleted.content.is_empty());
    assert!(!home_has(beta, &bob, &post).await);
    assert_eq!(reqwest::get(&post.ap_id).await.unwrap().status(), 410);
    net.shutdown().await;
}
