//! Each area registers its routes here, which both builds the axum router
//! and writes down what it registered: axum cannot list a router's routes,
//! and the access test must see every one of them.

use std::convert::Infallible;

use axum::Router;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::response::IntoResponse;
use tower::Service;

use super::AppState;

/// An area's routes: the router, and every (method, path) it answers.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<(Method, String)>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(mut self, path: &str, handler: H) -> Self {
        self.table.push((Method::GET, path.to_owned()));
        self.router = self.router.route(path, axum::routing::get(handler));
        self
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(mut self, path: &str, handler: H) -> Self {
        self.table.push((Method::POST, path.to_owned()));
        self.router = self.router.route(path, axum::routing::post(handler));
        self
    }

    /// A form post that may be larger than the portal's body limit: the
    /// handler reads the body itself and counts what it reads against its
    /// own limits.
    pub fn post_counted<H: Handler<T, AppState>, T: 'static>(mut self, path: &str, handler: H) -> Self {
        self.table.push((Method::POST, path.to_owned()));
        self.router =
            self.router.route(path, axum::routing::post(handler).layer(axum::extract::DefaultBodyLimit::disable()));
        self
    }

    /// A file served as it is.
    pub fn file(mut self, path: &str, service: impl FileService) -> Self {
        self.table.push((Method::GET, path.to_owned()));
        self.router = self.router.route_service(path, service);
        self
    }

    /// A folder of files served as they are, under `path`.
    pub fn folder(mut self, path: &str, service: impl FileService) -> Self {
        self.table.push((Method::GET, format!("{path}/{{*file}}")));
        self.router = self.router.nest_service(path, service);
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.table.extend(other.table);
        self.router = self.router.merge(other.router);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<(Method, String)>) {
        (self.router, self.table)
    }
}

/// A service that answers its route by itself, as static files do.
pub trait FileService:
    Service<Request, Error = Infallible, Response: IntoResponse, Future: Send + 'static> + Clone + Send + Sync + 'static
{
}

impl<S> FileService for S where
    S: Service<Request, Error = Infallible, Response: IntoResponse, Future: Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static
{
}
