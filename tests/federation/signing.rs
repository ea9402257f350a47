//! Both signature formats between real instances: a server that takes only RFC 9421 and one
//! that takes only draft-cavage are both reached, each after one 401, and the format that
//! worked is remembered for the next activity.

use passage_core::{config::SignatureFormat, posts, posts::NewPost};
use testkit::TestNetwork;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_reach_servers_that_take_only_one_signature_format() {
    let mut net = TestNetwork::start(3).await;
    // beta takes only RFC 9421 and signs with it first; gamma takes only draft-cavage.
    let b = &mut net.instances[1];
    b.stop().await;
    b.config.federation.accept_signatures = vec![SignatureFormat::Rfc9421];
    b.config.federation.sign_with = SignatureFormat::Rfc9421;
    b.start().await;
    let c = &mut net.instances[2];
    c.stop().await;
    c.config.federation.accept_signatures = vec![SignatureFormat::Cavage];
    c.start().await;
    let (alpha, beta, gamma) = (net.get(0), net.get(1), net.get(2));
    let ana = alpha.person("ana").await;
    let bo = beta.person("bo").await;
    let cy = gamma.person("cy").await;

    // bo follows ana: alpha's Accept goes out as draft-cavage, is refused, then as RFC 9421.
    let ana_at_beta = net.follow(1, &bo, 0, &ana).await;
    assert_eq!(beta.follow_state(&bo, &ana_at_beta).await, Some(true));
    // cy follows bo: gamma's Follow (cavage, refused) then beta's Accept (9421, refused).
    let bo_at_gamma = net.follow(2, &cy, 1, &bo).await;
    assert_eq!(gamma.follow_state(&cy, &bo_at_gamma).await, Some(true));

    let formats = |i: usize, peer: usize| {
        net.get(i)
            .running()
            .federation_data()
            .signature_formats
            .get(&net.get(peer).domain())
    };
    assert_eq!(
        formats(0, 1),
        Some(SignatureFormat::Rfc9421),
        "alpha learnt beta"
    );
    assert_eq!(
        formats(2, 1),
        Some(SignatureFormat::Rfc9421),
        "gamma learnt beta"
    );
    assert_eq!(
        formats(1, 2),
        Some(SignatureFormat::Cavage),
        "beta learnt gamma"
    );
    assert_eq!(formats(1, 0), None, "alpha takes beta's first choice");

    // The next post goes out in the remembered format.
    let post = posts::create(alpha.ctx(), &ana, NewPost::public("Consultation on Friday"))
        .await
        .unwrap();
    net.deliver_all().await;
    assert!(beta.copy_of(&post).await.is_some(), "the post reached beta");
    assert_eq!(formats(0, 1), Some(SignatureFormat::Rfc9421));
    net.shutdown().await;
}
