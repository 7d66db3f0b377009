//! `Probe`: a store wrapper that refuses one part of every multipart upload on request and records
//! how many parts were uploading at once.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use futures_util::stream::BoxStream;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    PutMultipartOptions, PutOptions, PutPayload, PutResult, Result, UploadPart,
};

/// Wraps a store; see the module notes.
#[derive(Debug)]
pub struct Probe {
    inner: Arc<dyn ObjectStore>,
    /// The 1-based part number to refuse, if any.
    refuse: Option<usize>,
    in_flight: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl Probe {
    pub fn new(inner: Arc<dyn ObjectStore>, refuse: Option<usize>) -> Probe {
        Probe {
            inner,
            refuse,
            in_flight: Arc::default(),
            peak: Arc::default(),
        }
    }

    /// The most parts that were uploading at the same time.
    pub fn peak(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.peak)
    }
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Probe({})", self.inner)
    }
}

#[async_trait]
impl ObjectStore for Probe {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> Result<PutResult> {
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        let inner = self.inner.put_multipart_opts(location, opts).await?;
        Ok(Box::new(ProbeUpload {
            inner,
            part: 0,
            refuse: self.refuse,
            in_flight: Arc::clone(&self.in_flight),
            peak: Arc::clone(&self.peak),
        }))
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        self.inner.get_opts(location, options).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, Result<Path>>,
    ) -> BoxStream<'static, Result<Path>> {
        self.inner.delete_stream(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        self.inner.list(prefix)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
        self.inner.copy_opts(from, to, options).await
    }
}

#[derive(Debug)]
struct ProbeUpload {
    inner: Box<dyn MultipartUpload>,
    part: usize,
    refuse: Option<usize>,
    in_flight: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

#[async_trait]
impl MultipartUpload for ProbeUpload {
    fn put_part(&mut self, data: PutPayload) -> UploadPart {
        self.part += 1;
        if Some(self.part) == self.refuse {
            let part = self.part;
            return Box::pin(async move {
                Err(object_store::Error::Generic {
                    store: "Probe",
                    source: format!("part {part} refused").into(),
                })
            });
        }
        let upload = self.inner.put_part(data);
        let (in_flight, peak) = (Arc::clone(&self.in_flight), Arc::clone(&self.peak));
        Box::pin(async move {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let result = upload.await;
            in_flight.fetch_sub(1, Ordering::SeqCst);
            result
        })
    }

    async fn complete(&mut self) -> Result<PutResult> {
        self.inner.complete().await
    }

    async fn abort(&mut self) -> Result<()> {
        self.inner.abort().await
    }
}
