//! Request parameters read the way Rails reads them, because every Mastodon client was written
//! against Rails: the query string and the body (JSON, urlencoded or multipart) merge into one
//! set; `key[]=a&key[]=b` is a list; `a[b]=c` and `a[0][b]=c` nest; booleans may be
//! `"1"`/`"0"`/`"true"`/`"false"`; numbers may come as strings. Handlers declare a struct and
//! get it filled, or a 422 naming the field that did not fit.

use crate::error::ApiError;
use axum::{
    extract::{FromRequest, Multipart, Request},
    http::header::CONTENT_TYPE,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Parameters of type `T` from the query string and the body together.
#[derive(Debug)]
pub struct Params<T>(pub T);

/// Parameters with the files of a multipart body, by field name (profile pictures).
#[derive(Debug)]
pub struct WithFiles<T>(pub T, pub Files);

/// Uploaded files by field name.
#[derive(Debug, Default)]
pub struct Files(Vec<(String, Vec<u8>)>);

impl Files {
    /// The file sent as `name`, taken out.
    pub fn take(&mut self, name: &str) -> Option<Vec<u8>> {
        let at = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.swap_remove(at).1)
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (value, _) = read(req, state, false).await?;
        decode(value).map(Params)
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for WithFiles<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (value, files) = read(req, state, true).await?;
        Ok(WithFiles(decode(value)?, files))
    }
}

/// The merged parameters, and the files of a multipart body when `keep_files` (others skip
/// them unread).
async fn read<S: Send + Sync>(
    req: Request,
    state: &S,
    keep_files: bool,
) -> Result<(Value, Files), ApiError> {
    let mut value = Value::Object(Map::new());
    let mut files = Files::default();
    if let Some(query) = req.uri().query() {
        merge(
            &mut value,
            from_pairs(url::form_urlencoded::parse(query.as_bytes())),
        );
    }
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    let body = match essence.as_str() {
        "multipart/form-data" => {
            let mut form = Multipart::from_request(req, state)
                .await
                .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
            let mut pairs = Vec::new();
            while let Some(field) = form
                .next_field()
                .await
                .map_err(|e| ApiError::new(e.status(), e.body_text()))?
            {
                let name = field.name().unwrap_or("").to_owned();
                if field.file_name().is_some() {
                    if keep_files {
                        let bytes = field
                            .bytes()
                            .await
                            .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
                        files.0.push((name, bytes.to_vec()));
                    }
                    continue;
                }
                let text = field
                    .text()
                    .await
                    .map_err(|e| ApiError::bad_request(e.body_text()))?;
                pairs.push((name, text));
            }
            from_pairs(
                pairs
                    .iter()
                    .map(|(k, v)| (k.as_str().into(), v.as_str().into())),
            )
        }
        _ => {
            let bytes = axum::body::Bytes::from_request(req, state)
                .await
                .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
            parse_body(&essence, &bytes)?
        }
    };
    merge(&mut value, body);
    Ok((value, files))
}

/// A body by its content type (JSON, or urlencoded as the default Rails assumes).
pub fn parse_body(essence: &str, bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    if essence == "application/json" || essence.ends_with("+json") {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| {
            ApiError::bad_request(format!("The request body is not valid JSON: {e}"))
        })?;
        return match value {
            Value::Object(_) => Ok(value),
            _ => Err(ApiError::bad_request(
                "The request body must be a JSON object",
            )),
        };
    }
    Ok(from_pairs(url::form_urlencoded::parse(bytes)))
}

/// Fills `T` from merged parameters; the error names the field (`poll.options[1]: ...`).
pub fn decode<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::invalid(format!("{path}: {}", e.inner()))
    })
}

/// Later values win, objects merge (a JSON body over the query string, as Rails does).
fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (into, from) => *into = from,
    }
}

/// Rails' nesting of `key`, `key[]`, `key[sub]` and `key[0][sub]` names into JSON.
pub fn from_pairs<'a>(
    pairs: impl IntoIterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) -> Value {
    let mut root = Value::Object(Map::new());
    for (name, value) in pairs {
        let path = split_name(&name);
        insert(&mut root, &path, Value::String(value.into_owned()));
    }
    arrays_from_indexes(&mut root);
    root
}

fn split_name(name: &str) -> Vec<&str> {
    match name.find('[') {
        None => vec![name],
        Some(i) => {
            let mut path = vec![&name[..i]];
            let mut rest = &name[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                path.push(&stripped[..end]);
                rest = &stripped[end + 1..];
            }
            path
        }
    }
}

fn insert(node: &mut Value, path: &[&str], value: Value) {
    let Some((head, rest)) = path.split_first() else {
        *node = value;
        return;
    };
    if head.is_empty() {
        // `key[]`: append to a list.
        if !node.is_array() {
            *node = Value::Array(Vec::new());
        }
        if let Value::Array(list) = node {
            if rest.is_empty() {
                list.push(value);
                return;
            }
            // `key[][a]=1&key[][b]=2` is one item `{a, b}`: as in Rails, a new item starts
            // when the last one already has the field.
            let fits_last = list
                .last()
                .and_then(Value::as_object)
                .is_some_and(|last| !last.contains_key(rest[0]));
            if !fits_last {
                list.push(Value::Object(Map::new()));
            }
            if let Some(item) = list.last_mut() {
                insert(item, rest, value);
            }
        }
        return;
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    if let Value::Object(map) = node {
        let child = map.entry((*head).to_owned()).or_insert(Value::Null);
        insert(child, rest, value);
    }
}

/// `{"0": a, "1": b}` (from `key[0][...]`) becomes `[a, b]`.
fn arrays_from_indexes(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for v in map.values_mut() {
                arrays_from_indexes(v);
            }
            let numeric = !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok());
            if numeric {
                let mut items: Vec<(usize, Value)> = std::mem::take(map)
                    .into_iter()
                    .filter_map(|(k, v)| Some((k.parse().ok()?, v)))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                *node = Value::Array(items.into_iter().map(|(_, v)| v).collect());
            }
        }
        Value::Array(list) => list.iter_mut().for_each(arrays_from_indexes),
        _ => {}
    }
}

/// Lenient field readers for `#[serde(deserialize_with = ...)]`.
/// A text field as given, trimmed; empty text counts as absent (it clears an optional field).
pub fn opt(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub mod de {
    use serde::{Deserialize, Deserializer, de::Error};
    use serde_json::Value;

    /// `true`, `"true"`, `"1"`, `1`, `"on"` are true; `false`, `"false"`, `"0"`, `0`, `""` false.
    pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(b),
            Value::Null => Ok(false),
            Value::Number(n) => Ok(n.as_i64() != Some(0)),
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "1" | "on" | "yes" | "t" => Ok(true),
                "false" | "0" | "off" | "no" | "f" | "" => Ok(false),
                other => Err(D::Error::custom(format!("{other:?} is not a boolean"))),
            },
            other => Err(D::Error::custom(format!("{other} is not a boolean"))),
        }
    }

    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        bool(d).map(Some)
    }

    /// An id or number sent as a number or a string; empty strings count as absent.
    pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::Number(n) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("{n} is not an integer"))),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| D::Error::custom(format!("{s:?} is not an integer"))),
            other => Err(D::Error::custom(format!("{other} is not an integer"))),
        }
    }

    /// A list, or one value standing for a list of one.
    pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let scalar = |v: Value| match v {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(D::Error::custom(format!("{other} is not a string"))),
        };
        match Value::deserialize(d)? {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => items.into_iter().map(scalar).collect(),
            one => Ok(vec![scalar(one)?]),
        }
    }

    /// A list when sent (even empty: `resource_ids[]=` clears one), None when absent.
    pub fn opt_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
        Ok(Some(
            list(d)?
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect(),
        ))
    }

    /// A list of objects sent as an array or, as Rails also reads it, as an object keyed by
    /// index (`{"0": {...}, "1": {...}}`); None when absent, so "not sent" differs from "empty".
    pub fn opt_items<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        let items = match Value::deserialize(d)? {
            Value::Null => return Ok(None),
            Value::Array(items) => items,
            Value::Object(map) => {
                let mut keyed: Vec<(usize, Value)> = map
                    .into_iter()
                    .map(|(k, v)| {
                        Ok((
                            k.parse()
                                .map_err(|_| D::Error::custom("expected indexes"))?,
                            v,
                        ))
                    })
                    .collect::<Result<_, D::Error>>()?;
                keyed.sort_by_key(|(i, _)| *i);
                keyed.into_iter().map(|(_, v)| v).collect()
            }
            other => return Err(D::Error::custom(format!("{other} is not a list"))),
        };
        items
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(D::Error::custom))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// A string that may arrive as a number.
    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            other => Err(D::Error::custom(format!("{other} is not a string"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    fn pairs(q: &str) -> Value {
        from_pairs(url::form_urlencoded::parse(q.as_bytes()))
    }

    #[test]
    fn rails_names_nest() {
        assert_eq!(
            pairs(
                "id[]=1&id[]=2&source[privacy]=private&fields_attributes[1][name]=b&fields_attributes[0][name]=a&plain=x"
            ),
            json!({
                "id": ["1", "2"],
                "source": {"privacy": "private"},
                "fields_attributes": [{"name": "a"}, {"name": "b"}],
                "plain": "x"
            })
        );
        assert_eq!(
            pairs("poll[options][]=a&poll[options][]=b"),
            json!({"poll": {"options": ["a", "b"]}})
        );
    }

    #[derive(Debug, Deserialize)]
    struct Sample {
        #[serde(default, deserialize_with = "de::bool")]
        sensitive: bool,
        #[serde(default, deserialize_with = "de::opt_i64")]
        limit: Option<i64>,
        #[serde(default, deserialize_with = "de::list")]
        media_ids: Vec<String>,
    }

    #[test]
    fn list_items_group_their_fields_as_rails_does() {
        assert_eq!(
            pairs("k[][keyword]=a&k[][whole_word]=0&k[][keyword]=b&k[][id]=3&k[][_destroy]=1"),
            json!({"k": [
                {"keyword": "a", "whole_word": "0"},
                {"keyword": "b", "id": "3", "_destroy": "1"}
            ]})
        );
    }

    #[test]
    fn lenient_values_and_named_errors() {
        let s: Sample = decode(pairs("sensitive=1&limit=5&media_ids[]=7")).unwrap();
        assert!(s.sensitive);
        assert_eq!((s.limit, s.media_ids), (Some(5), vec!["7".to_owned()]));
        let s: Sample = decode(json!({"sensitive": false, "limit": 3, "media_ids": "9"})).unwrap();
        assert_eq!(
            (s.sensitive, s.limit, s.media_ids.len()),
            (false, Some(3), 1)
        );
        let err = decode::<Sample>(pairs("limit=lots")).unwrap_err();
        assert_eq!(err.status, 422);
        assert!(err.message.contains("limit"), "{}", err.message);
    }
}
