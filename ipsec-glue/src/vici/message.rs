//! The ordered key → value tree every VICI request, response and event carries.

/// One value in a [`Message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A key/value pair's value: raw bytes, usually text.
    Str(Vec<u8>),
    /// A named list of raw values.
    List(Vec<Vec<u8>>),
    /// A named sub-section.
    Section(Message),
}

/// An ordered VICI message (or section): keys keep the order they were added or received in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    entries: Vec<(String, Value)>,
}

impl Message {
    /// An empty message.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `key` with `value`.
    pub fn push(&mut self, key: impl Into<String>, value: Value) {
        self.entries.push((key.into(), value));
    }

    /// Builder: appends a key/value pair.
    pub fn with_str(mut self, key: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        self.push(key, Value::Str(value.into()));
        self
    }

    /// Builder: appends a list.
    pub fn with_list<I>(mut self, key: impl Into<String>, items: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Vec<u8>>,
    {
        self.push(
            key,
            Value::List(items.into_iter().map(Into::into).collect()),
        );
        self
    }

    /// Builder: appends a sub-section.
    pub fn with_section(mut self, key: impl Into<String>, section: Message) -> Self {
        self.push(key, Value::Section(section));
        self
    }

    /// The first value stored under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The raw bytes of key/value `key`.
    pub fn get_bytes(&self, key: &str) -> Option<&[u8]> {
        match self.get(key)? {
            Value::Str(v) => Some(v),
            _ => None,
        }
    }

    /// Key/value `key` as text; `None` when absent, not a key/value or not UTF-8.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        std::str::from_utf8(self.get_bytes(key)?).ok()
    }

    /// Sub-section `key`.
    pub fn section(&self, key: &str) -> Option<&Message> {
        match self.get(key)? {
            Value::Section(s) => Some(s),
            _ => None,
        }
    }

    /// List `key`.
    pub fn list(&self, key: &str) -> Option<&[Vec<u8>]> {
        match self.get(key)? {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Sub-sections in order, with their names.
    pub fn sections(&self) -> impl Iterator<Item = (&str, &Message)> {
        self.iter().filter_map(|(k, v)| match v {
            Value::Section(s) => Some((k, s)),
            _ => None,
        })
    }

    /// Number of entries at this level.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests;
