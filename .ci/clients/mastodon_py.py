"""Mastodon.py 2.3.3 against a running Passage instance: the browser OAuth flow (out-of-band
code, read from the login page as a person would), a post with a picture, a reply, a boost, a
favourite, a follow, the home timeline with pagination and the notifications."""

import io
import re
import struct
import sys
import urllib.parse
import zlib

import requests
from mastodon import Mastodon

BASE, PASSWORD = sys.argv[1], sys.argv[2]
OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow", "push"]


def png(width=40, height=30):
    raw = b"".join(b"\x00" + b"".join(bytes((x * 6 % 256, y * 8 % 256, 160)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def browser_login(url, login):
    """What a member does on the login page: read the form, fill it in, submit, copy the code."""
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "<form" in page.text, page.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
    fields.update(username=login, password=PASSWORD, decision="allow")
    answer = requests.post(urllib.parse.urljoin(BASE, "/oauth/authorize"), data=fields, timeout=10)
    assert answer.status_code == 200, answer.text
    return re.search(r'id="code">([^<]+)<', answer.text).group(1)


client_id, client_secret = Mastodon.create_app("Passage CI", api_base_url=BASE, redirect_uris=OOB, scopes=SCOPES)

ana = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=BASE)
# `allow_http`: Mastodon.py refuses OAuth endpoints over plain http unless told to, and this
# server listens on plain http on loopback (a real instance sits behind TLS).
url = ana.auth_request_url(redirect_uris=OOB, scopes=SCOPES, allow_http=True)
ana.log_in(code=browser_login(url, "ana"), redirect_uri=OOB, scopes=SCOPES, allow_http=True)
me = ana.account_verify_credentials()
assert me.acct == "ana" and me.source.privacy == "public", me
assert ana.retrieve_mastodon_version() == "4.3.0", ana.retrieve_mastodon_version()

media = ana.media_post(io.BytesIO(png()), mime_type="image/png", description="A test picture")
assert media.url and media.type == "image", media
status = ana.status_post("Hello from Mastodon.py #passage", media_ids=[media])
assert status.media_attachments[0].id == media.id and status.tags[0].name == "passage", status

bea = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=BASE)
bea.log_in("bea@example.org", PASSWORD, scopes=SCOPES, allow_http=True)
relationship = bea.account_follow(me.id)
assert relationship.following, relationship
reply = bea.status_post("@ana welcome!", in_reply_to_id=status.id)
assert reply.in_reply_to_id == status.id and reply.mentions[0].acct == "ana", reply
boost = bea.status_reblog(status.id)
assert boost.reblog.id == status.id and boost.id != status.id, boost
assert boost.reblogged and boost.reblog.reblogged, boost
assert bea.status_favourite(status.id).favourited

home = bea.timeline_home(limit=2)
assert [home[0].reblog.id, home[1].id] == [status.id, reply.id], home
older = bea.fetch_next(home)
assert older and all(s.id not in {h.id for h in home} for s in older), older

kinds = {n.type for n in ana.notifications()}
assert {"follow", "mention", "reblog", "favourite"} <= kinds, kinds
mentions = ana.notifications(types=["mention"])
assert [n.status.id for n in mentions] == [reply.id], mentions
thread = ana.status_context(status.id)
assert [s.id for s in thread.descendants] == [reply.id], thread
found = ana.search_v2("bea", resolve=False)
assert any(a.acct == "bea" for a in found.accounts), found
ana.notifications_clear()
assert ana.notifications() == []

# A status's url is its page, ending in the id apps look it up by.
assert status.url.endswith(f"/@ana/{status.id}"), status.url
page = requests.get(status.url, headers={"Accept": "text/html"}, timeout=10)
assert page.status_code == 200 and "Hello from Mastodon.py" in page.text, page.status_code
tags = bea.search_v2("#pass", result_type="hashtags").hashtags
assert [t.name for t in tags] == ["passage"], tags
assert [s.id for s in bea.timeline_hashtag("passage")] == [status.id]
assert not me.discoverable, "members are not listed until they choose to be"
assert ana.account_update_credentials(discoverable=True).discoverable
featured = ana.featured_tag_create("passage")
assert featured.name == "passage" and [t.name for t in ana.featured_tags()] == ["passage"], featured
assert [t.name for t in bea.account_featured_tags(me.id)] == ["passage"]
print("Mastodon.py: login, media, post, reply, boost, favourite, follow, timeline, notifications, status pages, hashtags, discoverable, featured tags: ok")
