#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Endpoints of Go routers (Gin, Echo, chi, gorilla/mux, Fiber, net/http), Rails, Laravel, Django, Actix-web
//! and Axum: method, path, handler, authentication, guard, framework and line, as exact lists.

use vigil_code::analyze;

fn endpoints(path: &str, text: &str) -> Vec<String> {
    analyze(path, text)
        .unwrap()
        .endpoints
        .into_iter()
        .map(|e| {
            format!(
                "{} {} handler={} auth={:?} guard={} {}:{}",
                e.method,
                e.path,
                e.handler.unwrap_or_default(),
                e.authenticated,
                e.guard.unwrap_or_default(),
                e.framework,
                e.line
            )
        })
        .collect()
}

const GIN_GROUPS_GROUP_MIDDLEWARE_AND_USE: &str = r##"package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.GET("/health", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.POST("/login", handlers.Login)
	api := r.Group("/api", AuthRequired())
	{
		api.GET("/orders/:id", orders.Show)
		api.DELETE("/orders/:id", orders.Delete)
	}
	public := r.Group("/public")
	public.GET("", items.List)
	admin := r.Group("/admin")
	admin.PUT("/users/:id", users.Update)
	admin.Use(JWTMiddleware())
	admin.POST("/users", users.Create)
	r.Handle("PATCH", "/profile", RequireLogin(), profile.Update)
	r.Any("/proxy", proxy.Forward)
	value := cache.Get("user")
	resp, err := http.Get("http://example.com/x")
	r.Run(":8080")
}

func Register(rg *gin.RouterGroup) {
	rg.GET("/widgets", widgets.List)
}
"##;

/// Gin: group prefixes, group middleware, `Use` only for later routes, `Handle`, a router received as a parameter, and calls that are not routes (`cache.Get`, the `http.Get` client).
#[test]
fn gin_groups_group_middleware_and_use() {
    assert_eq!(
        endpoints("cmd/server/main.go", GIN_GROUPS_GROUP_MIDDLEWARE_AND_USE),
        vec![
            "ANY /proxy handler=proxy.Forward auth=Some(false) guard= gin:25",
            "DELETE /api/orders/:id handler=orders.Delete auth=Some(true) guard=AuthRequired() gin:16",
            "GET /api/orders/:id handler=orders.Show auth=Some(true) guard=AuthRequired() gin:15",
            "GET /health handler= auth=Some(false) guard= gin:11",
            "GET /public handler=items.List auth=Some(false) guard= gin:19",
            "GET /widgets handler=widgets.List auth=None guard= gin:32",
            "PATCH /profile handler=profile.Update auth=Some(true) guard=RequireLogin() gin:24",
            "POST /admin/users handler=users.Create auth=Some(true) guard=admin.Use(JWTMiddleware()) gin:23",
            "POST /login handler=handlers.Login auth=Some(false) guard= gin:12",
            "PUT /admin/users/:id handler=users.Update auth=Some(false) guard= gin:21",
        ]
    );
}

const ECHO_HANDLER_FIRST_THEN_MIDDLEWARE: &str = r##"package main

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

func main() {
	e := echo.New()
	e.GET("/", home)
	e.POST("/admin/reindex", admin.Reindex, middleware.KeyAuth(validateKey))
	g := e.Group("/api")
	g.Use(middleware.JWT([]byte("secret")))
	g.GET("/me", users.Me, middleware.Logger())
	e.Match([]string{"GET", "POST"}, "/search", search)
	e.Add("PUT", "/raw", raw)
	e.Logger.Fatal(e.Start(":1323"))
}
"##;

/// Echo: the handler comes before route middleware; `Match` and `Add` carry the methods.
#[test]
fn echo_handler_first_then_middleware() {
    assert_eq!(
        endpoints("cmd/api/main.go", ECHO_HANDLER_FIRST_THEN_MIDDLEWARE),
        vec![
            "GET / handler=home auth=Some(false) guard= echo:10",
            "GET /api/me handler=users.Me auth=Some(true) guard=g.Use(middleware.JWT([]byte(\"secret\"))) echo:14",
            "GET /search handler=search auth=Some(false) guard= echo:15",
            "POST /admin/reindex handler=admin.Reindex auth=Some(true) guard=middleware.KeyAuth(validateKey) echo:11",
            "POST /search handler=search auth=Some(false) guard= echo:15",
            "PUT /raw handler=raw auth=Some(false) guard= echo:16",
        ]
    );
}

const CHI_ROUTE_GROUPS_AND_WITH: &str = r##"package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Logger)
	r.Get("/", index)
	r.Route("/articles", func(r chi.Router) {
		r.Get("/", listArticles)
		r.With(jwtauth.Verifier(tokenAuth)).Post("/", createArticle)
		r.Route("/{articleID}", func(r chi.Router) {
			r.Get("/", getArticle)
		})
	})
	r.Group(func(r chi.Router) {
		r.Use(RequireAuthentication)
		r.Delete("/account", deleteAccount)
	})
	r.Method("PATCH", "/settings", settingsHandler)
	r.Handle("/metrics", promhttp.Handler())
	return r
}

func mountStats(r chi.Router) {
	r.Get("/stats", stats)
}
"##;

/// chi: nested `Route` callbacks, inline `With`, an anonymous `Group` with its own `Use`, `Method`.
#[test]
fn chi_route_groups_and_with() {
    assert_eq!(
        endpoints("internal/api/routes.go", CHI_ROUTE_GROUPS_AND_WITH),
        vec![
            "ANY /metrics handler=promhttp.Handler auth=Some(false) guard= chi:26",
            "DELETE /account handler=deleteAccount auth=Some(true) guard=r.Use(RequireAuthentication) chi:23",
            "GET / handler=index auth=Some(false) guard= chi:13",
            "GET /articles/ handler=listArticles auth=Some(false) guard= chi:15",
            "GET /articles/{articleID}/ handler=getArticle auth=Some(false) guard= chi:18",
            "GET /stats handler=stats auth=None guard= chi:31",
            "PATCH /settings handler=settingsHandler auth=Some(false) guard= chi:25",
            "POST /articles/ handler=createArticle auth=Some(true) guard=jwtauth.Verifier(tokenAuth) chi:16",
        ]
    );
}

const GORILLA_MUX_METHODS_AND_SUBROUTERS: &str = r##"package main

import (
	"net/http"

	"github.com/gorilla/mux"
)

func NewRouter() *mux.Router {
	r := mux.NewRouter()
	r.HandleFunc("/products", listProducts).Methods("GET")
	r.HandleFunc("/products", createProduct).Methods(http.MethodPost)
	api := r.PathPrefix("/api/v1").Subrouter()
	api.Use(authMiddleware)
	api.HandleFunc("/users/{id}", getUser).Methods("GET", "DELETE")
	r.PathPrefix("/static/").Handler(http.StripPrefix("/static/", fileServer))
	r.Methods("POST").Path("/webhook").HandlerFunc(webhook)
	r.Use(loggingMiddleware)
	return r
}
"##;

/// gorilla/mux: `.Methods(...)` chained before or after, `PathPrefix(...).Subrouter()`, a `Use` after every route.
#[test]
fn gorilla_mux_methods_and_subrouters() {
    assert_eq!(
        endpoints("router.go", GORILLA_MUX_METHODS_AND_SUBROUTERS),
        vec![
            "ANY /static/ handler=fileServer auth=Some(false) guard= gorilla/mux:16",
            "DELETE /api/v1/users/{id} handler=getUser auth=Some(true) guard=api.Use(authMiddleware) gorilla/mux:15",
            "GET /api/v1/users/{id} handler=getUser auth=Some(true) guard=api.Use(authMiddleware) gorilla/mux:15",
            "GET /products handler=listProducts auth=Some(false) guard= gorilla/mux:11",
            "POST /products handler=createProduct auth=Some(false) guard= gorilla/mux:12",
            "POST /webhook handler=webhook auth=Some(false) guard= gorilla/mux:17",
        ]
    );
}

const FIBER_GROUPS_AND_PREFIX_SCOPED_USE: &str = r##"package main

import (
	jwtware "github.com/gofiber/contrib/jwt"
	"github.com/gofiber/fiber/v2"
)

func main() {
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("hi") })
	app.Use("/api", jwtware.New(jwtware.Config{SigningKey: key}))
	api := app.Group("/api")
	api.Get("/orders", listOrders)
	app.Post("/signup", signup)
	app.All("/ws", ws)
	app.Route("/admin", func(router fiber.Router) {
		router.Get("/stats", stats)
	})
	app.Listen(":3000")
}
"##;

/// Fiber: `app.Use("/api", jwt)` guards only routes under `/api`.
#[test]
fn fiber_groups_and_prefix_scoped_use() {
    assert_eq!(
        endpoints("main.go", FIBER_GROUPS_AND_PREFIX_SCOPED_USE),
        vec![
            "ANY /ws handler=ws auth=Some(false) guard= fiber:15",
            "GET / handler= auth=Some(false) guard= fiber:10",
            "GET /admin/stats handler=stats auth=Some(false) guard= fiber:17",
            "GET /api/orders handler=listOrders auth=Some(true) guard=app.Use(jwtware.New(jwtware.Config{SigningKey: key})) fiber:13",
            "POST /signup handler=signup auth=Some(false) guard= fiber:14",
        ]
    );
}

const NET_HTTP_METHOD_PATTERNS_AND_WRAPPERS: &str = r##"package main

import (
	"log"
	"net/http"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", getItem)
	mux.HandleFunc("POST /items", createItem)
	mux.Handle("/admin/", requireAuth(adminHandler))
	http.HandleFunc("/healthz", healthz)
	http.Handle("/metrics", promhttp.Handler())
	resp, err := http.Get("https://example.com/")
	log.Fatal(http.ListenAndServe(":8080", mux))
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/reports", reports)
}
"##;

/// net/http: Go 1.22 method patterns, handler wrappers, the default mux, a mux received as a parameter.
#[test]
fn net_http_method_patterns_and_wrappers() {
    assert_eq!(
        endpoints("main.go", NET_HTTP_METHOD_PATTERNS_AND_WRAPPERS),
        vec![
            "ANY /admin/ handler=adminHandler auth=Some(true) guard=requireAuth net/http:12",
            "ANY /healthz handler=healthz auth=Some(false) guard= net/http:13",
            "ANY /metrics handler=promhttp.Handler auth=Some(false) guard= net/http:14",
            "ANY /reports handler=reports auth=None guard= net/http:20",
            "GET /items/{id} handler=getItem auth=Some(false) guard= net/http:10",
            "POST /items handler=createItem auth=Some(false) guard= net/http:11",
        ]
    );
}

const NET_HTTP_MUX_WRAPPED_BY_AUTH: &str = r##"package main

import "net/http"

var public = http.NewServeMux()

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/account", account)
	public.HandleFunc("/status", status)
	go http.ListenAndServe(":8081", public)
	http.ListenAndServe(":8080", authenticate(mux))
}
"##;

/// net/http: a whole mux served through an authenticating wrapper.
#[test]
fn net_http_mux_wrapped_by_auth() {
    assert_eq!(
        endpoints("main.go", NET_HTTP_MUX_WRAPPED_BY_AUTH),
        vec![
            "ANY /account handler=account auth=Some(true) guard=authenticate net/http:9",
            "ANY /status handler=status auth=Some(false) guard= net/http:10",
        ]
    );
}

const GO_CALLS_THAT_ARE_NOT_ROUTES: &str = r##"package store

import (
	"context"

	"github.com/gin-gonic/gin"
)

func load(ctx context.Context, c *gin.Context) {
	v := cache.Get(ctx, "/users")
	w.Header().Add("Content-Type", "text/plain")
	m.Handle(42, h)
	c.GET("/x")
}
"##;

const GO_CLIENT_CODE_IS_NOT_ROUTES: &str = r##"package sdk

import (
	"net/http"
)

func (c *Client) Users() error {
	resp, err := http.Get("https://api.example.com/users")
	if err := c.api.Get("/v1/users", &out); err != nil {
		return err
	}
	c.api.POST("/v1/users", body)
	bus.HandleFunc("user/created", onUserCreated)
	return c.api.Delete("/v1/users/1", nil)
}
"##;

/// A net/http-only file: chi/Fiber/Gin spellings are client calls there, and a message bus topic is no
/// path.
#[test]
fn go_client_code_is_not_routes() {
    assert!(endpoints("sdk/users.go", GO_CLIENT_CODE_IS_NOT_ROUTES).is_empty());
}

/// Calls shaped like routes that are not: wrong argument kinds or counts.
#[test]
fn go_calls_that_are_not_routes() {
    assert!(endpoints("store/cache.go", GO_CALLS_THAT_ARE_NOT_ROUTES).is_empty());
}

const GO_FILE_WITHOUT_A_ROUTER_LIBRARY: &str = r##"package main

import "fmt"

func main() {
	r.GET("/x", h)
	fmt.Println("hi")
}
"##;

/// Without a router import nothing is read.
#[test]
fn go_file_without_a_router_library() {
    assert!(endpoints("main.go", GO_FILE_WITHOUT_A_ROUTER_LIBRARY).is_empty());
}

const RAILS_ROUTES_RESOURCES_AND_SCOPES: &str = r##"Rails.application.routes.draw do
  root 'pages#home'
  get 'about', to: 'pages#about'
  get 'photos/search'
  post '/login' => 'sessions#create'
  match 'webhooks/stripe', to: 'webhooks#stripe', via: [:get, :post]
  match 'ping', to: 'health#ping', via: :all
  resources :users, only: [:index, :show] do
    resources :posts, except: %i[new edit destroy]
    member do
      get :preview
    end
    get :search, on: :collection
    get :export
  end
  resource :profile, only: [:show, :update]
  namespace :api do
    scope '/v1' do
      resources :orders, only: :index
      get 'status', to: 'status#show'
    end
  end
  authenticate :user do
    mount Sidekiq::Web => '/sidekiq'
    get 'dashboard', to: 'dashboard#index'
  end
  concern :commentable do
    resources :comments
  end
  get "legacy/#{section}", to: redirect('/')
  Rails.logger.info('routes loaded')
end
"##;

/// Rails: verbs, `match`, `root`, resources with `only`/`except`, nesting, member and collection routes, singular resources, namespace and scope, Devise `authenticate` blocks, `mount`; concerns and interpolated paths are skipped.
#[test]
fn rails_routes_resources_and_scopes() {
    assert_eq!(
        endpoints("config/routes.rb", RAILS_ROUTES_RESOURCES_AND_SCOPES),
        vec![
            "ANY /ping handler=health#ping auth=None guard= rails:7",
            "ANY /sidekiq handler=Sidekiq::Web auth=Some(true) guard=authenticate :user rails:24",
            "GET / handler=pages#home auth=None guard= rails:2",
            "GET /about handler=pages#about auth=None guard= rails:3",
            "GET /api/v1/orders handler=api/orders#index auth=None guard= rails:19",
            "GET /api/v1/status handler=api/status#show auth=None guard= rails:20",
            "GET /dashboard handler=dashboard#index auth=Some(true) guard=authenticate :user rails:25",
            "GET /photos/search handler=photos#search auth=None guard= rails:4",
            "GET /profile handler=profiles#show auth=None guard= rails:16",
            "GET /users handler=users#index auth=None guard= rails:8",
            "GET /users/:id handler=users#show auth=None guard= rails:8",
            "GET /users/:id/preview handler=users#preview auth=None guard= rails:11",
            "GET /users/:user_id/export handler=users#export auth=None guard= rails:14",
            "GET /users/:user_id/posts handler=posts#index auth=None guard= rails:9",
            "GET /users/:user_id/posts/:id handler=posts#show auth=None guard= rails:9",
            "GET /users/search handler=users#search auth=None guard= rails:13",
            "GET /webhooks/stripe handler=webhooks#stripe auth=None guard= rails:6",
            "PATCH /profile handler=profiles#update auth=None guard= rails:16",
            "PATCH /users/:user_id/posts/:id handler=posts#update auth=None guard= rails:9",
            "POST /login handler=sessions#create auth=None guard= rails:5",
            "POST /users/:user_id/posts handler=posts#create auth=None guard= rails:9",
            "POST /webhooks/stripe handler=webhooks#stripe auth=None guard= rails:6",
            "PUT /profile handler=profiles#update auth=None guard= rails:16",
            "PUT /users/:user_id/posts/:id handler=posts#update auth=None guard= rails:9",
        ]
    );
}

const RAILS_SPLIT_ROUTES_FILE_WITH_CONTROLLER_SCOPE: &str = r##"scope module: 'admin', path: 'backoffice' do
  controller :reports do
    get 'reports/daily', action: :daily
    delete 'reports/:id' => :destroy
  end
  resources :categories, param: :slug, only: [:show]
end
namespace :internal, path: 'ops' do
  resources :jobs, :queues, only: :index
  get 'redirected', to: redirect('/ops/jobs')
end
authenticated(:admin) { root 'admin/dashboard#show', as: :admin_root }
"##;

/// Rails: a file under `config/routes/` with `scope module:, path:`, `controller` blocks and `param:`.
#[test]
fn rails_split_routes_file_with_controller_scope() {
    assert_eq!(
        endpoints(
            "config/routes/admin.rb",
            RAILS_SPLIT_ROUTES_FILE_WITH_CONTROLLER_SCOPE
        ),
        vec![
            "DELETE /backoffice/reports/:id handler=admin/reports#destroy auth=None guard= rails:4",
            "GET / handler=admin/dashboard#show auth=Some(true) guard=authenticated(:admin) rails:12",
            "GET /backoffice/categories/:slug handler=admin/categories#show auth=None guard= rails:6",
            "GET /backoffice/reports/daily handler=admin/reports#daily auth=None guard= rails:3",
            "GET /ops/jobs handler=internal/jobs#index auth=None guard= rails:9",
            "GET /ops/queues handler=internal/queues#index auth=None guard= rails:9",
            "GET /ops/redirected handler=redirect auth=None guard= rails:10",
        ]
    );
}

const RAILS_DSL_OUTSIDE_ROUTES_FILES: &str = r##"get 'not/routes', to: 'x#y'
"##;

/// Route DSL calls outside `config/` routes files are not routes.
#[test]
fn rails_dsl_outside_routes_files() {
    assert!(endpoints("app/helpers/routes_helper.rb", RAILS_DSL_OUTSIDE_ROUTES_FILES).is_empty());
}

const LARAVEL_WEB_ROUTES_GROUPS_AND_RESOURCES: &str = r##"<?php

use App\Http\Controllers\DashboardController;
use App\Http\Controllers\PhotoController;
use Illuminate\Support\Facades\Route;

Route::get('/', function () {
    return view('welcome');
});
Route::get('/dashboard', [DashboardController::class, 'index'])->middleware(['auth', 'verified'])->name('dashboard');
Route::post('/contact', 'ContactController@send');
Route::match(['get', 'post'], '/search', SearchController::class);
Route::any('/callback', [OAuthController::class, 'callback']);
Route::view('/about', 'about');
Route::resource('photos', PhotoController::class)->only(['index', 'show']);
Route::middleware('auth')->prefix('account')->group(function () {
    Route::put('/password', [PasswordController::class, 'update']);
    Route::prefix('billing')->group(function () {
        Route::delete('/cards/{card}', [CardController::class, 'destroy']);
    });
});
Route::group(['prefix' => 'admin', 'middleware' => ['auth:admin']], function () {
    Route::get('/users', 'Admin\UserController@index');
});
Route::resource('tags', TagController::class);
Route::options('/cors', [CorsController::class, 'preflight']);
Route::controller(OrderController::class)->group(function () {
    Route::get('/orders/{id}', 'show');
});
$value = Cache::get('key', 'default');
$request->get('/not-a-route');
"##;

/// Laravel web routes: handlers in every form, chained and group middleware, prefixes, `Route::group` attributes, controller groups, resources; `Cache::get` and `$request->get` are not routes.
#[test]
fn laravel_web_routes_groups_and_resources() {
    assert_eq!(
        endpoints("routes/web.php", LARAVEL_WEB_ROUTES_GROUPS_AND_RESOURCES),
        vec![
            "ANY /callback handler=OAuthController@callback auth=Some(false) guard= laravel:13",
            "DELETE /account/billing/cards/{card} handler=CardController@destroy auth=Some(true) guard=auth laravel:19",
            "DELETE /tags/{tag} handler=TagController@destroy auth=Some(false) guard= laravel:25",
            "GET / handler= auth=Some(false) guard= laravel:7",
            "GET /about handler= auth=Some(false) guard= laravel:14",
            "GET /admin/users handler=Admin\\UserController@index auth=Some(true) guard=auth:admin laravel:23",
            "GET /dashboard handler=DashboardController@index auth=Some(true) guard=auth laravel:10",
            "GET /orders/{id} handler=OrderController@show auth=Some(false) guard= laravel:28",
            "GET /photos handler=PhotoController@index auth=Some(false) guard= laravel:15",
            "GET /photos/{photo} handler=PhotoController@show auth=Some(false) guard= laravel:15",
            "GET /search handler=SearchController auth=Some(false) guard= laravel:12",
            "GET /tags handler=TagController@index auth=Some(false) guard= laravel:25",
            "GET /tags/create handler=TagController@create auth=Some(false) guard= laravel:25",
            "GET /tags/{tag} handler=TagController@show auth=Some(false) guard= laravel:25",
            "GET /tags/{tag}/edit handler=TagController@edit auth=Some(false) guard= laravel:25",
            "OPTIONS /cors handler=CorsController@preflight auth=Some(false) guard= laravel:26",
            "PATCH /tags/{tag} handler=TagController@update auth=Some(false) guard= laravel:25",
            "POST /contact handler=ContactController@send auth=Some(false) guard= laravel:11",
            "POST /search handler=SearchController auth=Some(false) guard= laravel:12",
            "POST /tags handler=TagController@store auth=Some(false) guard= laravel:25",
            "PUT /account/password handler=PasswordController@update auth=Some(true) guard=auth laravel:17",
            "PUT /tags/{tag} handler=TagController@update auth=Some(false) guard= laravel:25",
        ]
    );
}

const LARAVEL_API_ROUTES_GET_THE_API_PREFIX: &str = r##"<?php

use Illuminate\Http\Request;
use Illuminate\Support\Facades\Route;

Route::middleware('auth:sanctum')->get('/user', function (Request $request) {
    return $request->user();
});
Route::apiResource('posts.comments', CommentController::class)->except(['destroy']);
Route::post('/tokens', [TokenController::class, 'store']);
"##;

/// Laravel API routes: the `/api` prefix, `Route::middleware(...)->get(...)`, nested `apiResource` with `except`.
#[test]
fn laravel_api_routes_get_the_api_prefix() {
    assert_eq!(
        endpoints("routes/api.php", LARAVEL_API_ROUTES_GET_THE_API_PREFIX),
        vec![
            "GET /api/posts/{post}/comments handler=CommentController@index auth=Some(false) guard= laravel:9",
            "GET /api/posts/{post}/comments/{comment} handler=CommentController@show auth=Some(false) guard= laravel:9",
            "GET /api/user handler= auth=Some(true) guard=auth:sanctum laravel:6",
            "PATCH /api/posts/{post}/comments/{comment} handler=CommentController@update auth=Some(false) guard= laravel:9",
            "POST /api/posts/{post}/comments handler=CommentController@store auth=Some(false) guard= laravel:9",
            "POST /api/tokens handler=TokenController@store auth=Some(false) guard= laravel:10",
            "PUT /api/posts/{post}/comments/{comment} handler=CommentController@update auth=Some(false) guard= laravel:9",
        ]
    );
}

const LARAVEL_OTHER_ROUTE_FILES_ARE_UNKNOWN: &str = r##"<?php

Route::get('/reports', [ReportController::class, 'index']);
"##;

/// Route files Laravel does not load by default may be wrapped by a provider: unknown.
#[test]
fn laravel_other_route_files_are_unknown() {
    assert_eq!(
        endpoints("routes/admin/reports.php", LARAVEL_OTHER_ROUTE_FILES_ARE_UNKNOWN),
        vec!["GET /reports handler=ReportController@index auth=None guard= laravel:3",]
    );
}

const LARAVEL_ROUTE_CALLS_OUTSIDE_ROUTES: &str = r##"<?php

Route::get('/not-a-route-file', [X::class, 'y']);
"##;

/// `Route::` calls outside `routes/` are not read.
#[test]
fn laravel_route_calls_outside_routes() {
    assert!(endpoints("app/helpers.php", LARAVEL_ROUTE_CALLS_OUTSIDE_ROUTES).is_empty());
}

const LUMEN_ROUTER_VARIABLE: &str = r##"<?php

$router->get('/', function () use ($router) {
    return $router->app->version();
});
$router->group(['prefix' => 'api', 'middleware' => 'auth'], function () use ($router) {
    $router->get('/me', ['uses' => 'UserController@me']);
});
$router->post('/login', ['uses' => 'AuthController@login', 'as' => 'login']);
$router->delete('/keys/{id}', ['middleware' => 'auth', 'uses' => 'KeyController@destroy']);
"##;

/// Lumen: `$router` routes, group attributes and `uses`/`middleware` actions.
#[test]
fn lumen_router_variable() {
    assert_eq!(
        endpoints("routes/web.php", LUMEN_ROUTER_VARIABLE),
        vec![
            "DELETE /keys/{id} handler=KeyController@destroy auth=Some(true) guard=auth laravel:10",
            "GET / handler= auth=Some(false) guard= laravel:3",
            "GET /api/me handler=UserController@me auth=Some(true) guard=auth laravel:7",
            "POST /login handler=AuthController@login auth=Some(false) guard= laravel:9",
        ]
    );
}

const DJANGO_URLPATTERNS: &str = r##"from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required, permission_required
from django.urls import include, path, re_path
from django.conf.urls import url
from django.views.generic import TemplateView

from . import views

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("products/<int:pk>/", views.product_detail, name="product-detail"),
    path("orders/", login_required(views.OrderList.as_view()), name="orders"),
    path("reports/", staff_member_required(views.reports)),
    path("refunds/<int:pk>/", permission_required("shop.add_refund")(views.refund)),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", views.archive),
    url(r"^legacy/$", views.legacy),
    path("admin/", admin.site.urls),
    path(route="feeds/", view=views.feeds),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include([
        path("cart/", views.cart_api),
        re_path(r"^items/(?P<id>\d+)/$", views.item_api),
    ])),
]
static_root = os.path.join(BASE_DIR, "static")
"##;

/// Django: `path`, `re_path`, `url`, class-based views, guard wrappers, the admin site, inline include prefixes; `include(...)` and `os.path.join` record nothing.
#[test]
fn django_urlpatterns() {
    assert_eq!(
        endpoints("shop/urls.py", DJANGO_URLPATTERNS),
        vec![
            "ANY  handler=TemplateView auth=None guard= django:11",
            "ANY ^archive/(?P<year>[0-9]{4})/$ handler=views.archive auth=None guard= django:16",
            "ANY ^legacy/$ handler=views.legacy auth=None guard= django:17",
            "ANY admin/ handler=admin.site.urls auth=Some(true) guard=django.contrib.admin django:18",
            "ANY api/cart/ handler=views.cart_api auth=None guard= django:22",
            "ANY api/items/(?P<id>\\d+)/$ handler=views.item_api auth=None guard= django:23",
            "ANY feeds/ handler=views.feeds auth=None guard= django:19",
            "ANY orders/ handler=views.OrderList auth=Some(true) guard=login_required django:13",
            "ANY products/<int:pk>/ handler=views.product_detail auth=None guard= django:12",
            "ANY refunds/<int:pk>/ handler=views.refund auth=Some(true) guard=permission_required(\"shop.add_refund\") django:15",
            "ANY reports/ handler=views.reports auth=Some(true) guard=staff_member_required django:14",
        ]
    );
}

const DJANGO_PATH_OUTSIDE_URLS_FILES: &str = r##"from django.urls import path

def index(request):
    return path("x/", index)
"##;

/// `path(...)` outside a URL configuration is not a route.
#[test]
fn django_path_outside_urls_files() {
    assert!(endpoints("shop/views.py", DJANGO_PATH_OUTSIDE_URLS_FILES).is_empty());
}

const ACTIX_MACROS_BUILDER_AND_WRAPS: &str = r##"use actix_web::{get, post, route, web, App, HttpResponse, HttpServer, Responder};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;

#[get("/health")]
async fn health() -> impl Responder {
    HttpResponse::Ok()
}

#[post("/login")]
async fn login(form: web::Json<LoginRequest>) -> impl Responder {
    HttpResponse::Ok()
}

#[get("/me")]
async fn me(auth: BearerAuth) -> impl Responder {
    HttpResponse::Ok()
}

#[route("/hook", method = "GET", method = "POST")]
async fn hook(session: Option<Identity>) -> impl Responder {
    HttpResponse::Ok()
}

#[actix_web::delete("/items/{id}", wrap = "HttpAuthentication::bearer(validator)")]
async fn delete_item(path: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok()
}

async fn list_orders() -> impl Responder {
    HttpResponse::Ok()
}

async fn create_order(user: web::ReqData<Claims>) -> impl Responder {
    HttpResponse::Ok()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .service(health)
            .service(login)
            .route("/status", web::get().to(status))
            .service(
                web::scope("/api")
                    .wrap(HttpAuthentication::bearer(validator))
                    .service(me)
                    .route("/orders", web::get().to(list_orders))
                    .service(web::resource("/orders/new").route(web::post().to(create_order))),
            )
            .service(web::resource("/public/{file}").to(files::serve))
            .service(web::scope("/admin").route("/stats", web::route().guard(guard::Put()).to(stats)))
            .service(web::scope("/v2").wrap(Logger::default()).service((health, login)))
            .route("/upload", web::method(Method::PUT).to(upload))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}

fn client() {
    let response = client.get("/remote").send();
    let value = map.route("/not", other);
}
"##;

/// Actix-web: route macros (with `wrap =`), services registered in a wrapped scope, builder routes and resources, extractors (`BearerAuth`, `ReqData<Claims>`; not `Option<Identity>` nor `Json<LoginRequest>`), and method calls that are not routes.
#[test]
fn actix_macros_builder_and_wraps() {
    assert_eq!(
        endpoints("src/main.rs", ACTIX_MACROS_BUILDER_AND_WRAPS),
        vec![
            "ANY /public/{file} handler=files::serve auth=None guard= actix:52",
            "DELETE /items/{id} handler=delete_item auth=Some(true) guard=HttpAuthentication::bearer(validator) actix:25",
            "GET /api/me handler=me auth=Some(true) guard=HttpAuthentication::bearer(validator) actix:15",
            "GET /api/orders handler=list_orders auth=Some(true) guard=HttpAuthentication::bearer(validator) actix:49",
            "GET /health handler=health auth=None guard= actix:5",
            "GET /hook handler=hook auth=None guard= actix:20",
            "GET /status handler=status auth=None guard= actix:44",
            "GET /v2/health handler=health auth=None guard= actix:5",
            "POST /api/orders/new handler=create_order auth=Some(true) guard=HttpAuthentication::bearer(validator) actix:50",
            "POST /hook handler=hook auth=None guard= actix:20",
            "POST /login handler=login auth=None guard= actix:10",
            "POST /v2/login handler=login auth=None guard= actix:10",
            "PUT /admin/stats handler=stats auth=None guard= actix:53",
            "PUT /upload handler=upload auth=None guard= actix:55",
        ]
    );
}

const AXUM_ROUTES_NESTING_AND_LAYER_ORDER: &str = r##"use axum::{
    extract::{Extension, Json, Path},
    middleware,
    routing::{get, post},
    Router,
};

async fn me(Extension(user): Extension<CurrentUser>) -> String {
    user.name
}

async fn login(Json(body): Json<LoginRequest>) -> String {
    String::new()
}

async fn create_post(claims: Claims, Json(body): Json<NewPost>) -> String {
    String::new()
}

fn admin_routes() -> Router {
    Router::new()
        .route("/stats", get(stats))
        .route_layer(middleware::from_fn(require_admin_auth))
}

fn file_routes() -> Router {
    return Router::new()
        .route("/upload", on(MethodFilter::PUT.or(MethodFilter::POST), upload))
        .route_service("/robots.txt", ServeFile::new("robots.txt"))
        .nest_service("/assets", ServeDir::new("assets"));
}

#[tokio::main]
async fn main() {
    let api = Router::new()
        .route("/posts", get(list_posts).post(create_post))
        .route("/posts/:id", get(show_post).delete(delete_post).route_layer(middleware::from_fn(auth)))
        .route("/me", get(me));
    let app = Router::new()
        .route("/login", post(login))
        .nest("/api", api)
        .nest("/admin", admin_routes())
        .nest("/files", file_routes())
        .route("/health", get(|| async { "ok" }))
        .layer(TraceLayer::new_for_http());
    let app = app.route("/ws", any(websocket)).layer(CorsLayer::permissive());
    let guarded = Router::new()
        .route("/billing", get(billing))
        .layer(middleware::from_fn(require_auth))
        .route("/pricing", get(pricing));
    axum::serve(listener, app.merge(guarded)).await.unwrap();
}

fn not_routes() {
    let value = cache.get("/key");
    let other = map.route("/x");
}
"##;

/// Axum: method routers, `route_layer` on a method router, `nest` of a `let`-bound router and of a function's router, layers guarding only earlier routes, a non-auth layer, `merge`, extractor guards.
#[test]
fn axum_routes_nesting_and_layer_order() {
    assert_eq!(
        endpoints("src/main.rs", AXUM_ROUTES_NESTING_AND_LAYER_ORDER),
        vec![
            "ANY /files/assets handler=ServeDir::new auth=None guard= axum:30",
            "ANY /files/robots.txt handler=ServeFile::new auth=None guard= axum:29",
            "ANY /ws handler=websocket auth=None guard= axum:46",
            "DELETE /api/posts/:id handler=delete_post auth=Some(true) guard=middleware::from_fn(auth) axum:37",
            "GET /admin/stats handler=stats auth=Some(true) guard=middleware::from_fn(require_admin_auth) axum:22",
            "GET /api/me handler=me auth=Some(true) guard=Extension<CurrentUser> axum:38",
            "GET /api/posts handler=list_posts auth=None guard= axum:36",
            "GET /api/posts/:id handler=show_post auth=Some(true) guard=middleware::from_fn(auth) axum:37",
            "GET /billing handler=billing auth=Some(true) guard=middleware::from_fn(require_auth) axum:48",
            "GET /health handler= auth=None guard= axum:44",
            "GET /pricing handler=pricing auth=None guard= axum:50",
            "POST /api/posts handler=create_post auth=Some(true) guard=Claims axum:36",
            "POST /files/upload handler=upload auth=None guard= axum:28",
            "POST /login handler=login auth=None guard= axum:40",
            "PUT /files/upload handler=upload auth=None guard= axum:28",
        ]
    );
}

const RUST_ROUTES_WITHOUT_A_WEB_FRAMEWORK: &str = r##"use serde::Deserialize;

#[get("/x")]
async fn x() {}

fn build() {
    Router::new().route("/y", get(y));
}
"##;

/// Without an actix_web or axum import nothing is read.
#[test]
fn rust_routes_without_a_web_framework() {
    assert!(endpoints("src/lib.rs", RUST_ROUTES_WITHOUT_A_WEB_FRAMEWORK).is_empty());
}

/// Truncated and mangled sources (syntax errors everywhere) must not panic.
#[test]
fn broken_sources_do_not_panic() {
    let sources = [
        ("cmd/server/main.go", GIN_GROUPS_GROUP_MIDDLEWARE_AND_USE),
        ("cmd/api/main.go", ECHO_HANDLER_FIRST_THEN_MIDDLEWARE),
        ("internal/api/routes.go", CHI_ROUTE_GROUPS_AND_WITH),
        ("router.go", GORILLA_MUX_METHODS_AND_SUBROUTERS),
        ("main.go", FIBER_GROUPS_AND_PREFIX_SCOPED_USE),
        ("main.go", NET_HTTP_METHOD_PATTERNS_AND_WRAPPERS),
        ("main.go", NET_HTTP_MUX_WRAPPED_BY_AUTH),
        ("store/cache.go", GO_CALLS_THAT_ARE_NOT_ROUTES),
        ("sdk/users.go", GO_CLIENT_CODE_IS_NOT_ROUTES),
        ("main.go", GO_FILE_WITHOUT_A_ROUTER_LIBRARY),
        ("config/routes.rb", RAILS_ROUTES_RESOURCES_AND_SCOPES),
        (
            "config/routes/admin.rb",
            RAILS_SPLIT_ROUTES_FILE_WITH_CONTROLLER_SCOPE,
        ),
        ("app/helpers/routes_helper.rb", RAILS_DSL_OUTSIDE_ROUTES_FILES),
        ("routes/web.php", LARAVEL_WEB_ROUTES_GROUPS_AND_RESOURCES),
        ("routes/api.php", LARAVEL_API_ROUTES_GET_THE_API_PREFIX),
        ("routes/admin/reports.php", LARAVEL_OTHER_ROUTE_FILES_ARE_UNKNOWN),
        ("app/helpers.php", LARAVEL_ROUTE_CALLS_OUTSIDE_ROUTES),
        ("routes/web.php", LUMEN_ROUTER_VARIABLE),
        ("shop/urls.py", DJANGO_URLPATTERNS),
        ("shop/views.py", DJANGO_PATH_OUTSIDE_URLS_FILES),
        ("src/main.rs", ACTIX_MACROS_BUILDER_AND_WRAPS),
        ("src/main.rs", AXUM_ROUTES_NESTING_AND_LAYER_ORDER),
        ("src/lib.rs", RUST_ROUTES_WITHOUT_A_WEB_FRAMEWORK),
    ];
    for (path, text) in sources {
        for end in (0..text.len())
            .step_by(7)
            .filter(|end| text.is_char_boundary(*end))
        {
            let _ = analyze(path, &text[..end]);
        }
        let _ = analyze(path, &text.replace(['(', '{'], ""));
    }
    let nested = format!(
        "package main\nimport \"github.com/gin-gonic/gin\"\nfunc f() {{ r := {}gin.New(){} }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let _ = analyze("main.go", &nested);
}
