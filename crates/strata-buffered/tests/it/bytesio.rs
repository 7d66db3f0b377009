//! `BytesIO` behaviour, table-driven (contract §A).
