//! `BytesIO`: an in-memory byte stream with Python file semantics.
