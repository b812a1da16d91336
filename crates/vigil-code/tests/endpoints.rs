//! Endpoints per framework: method, path, handler, authentication and line.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
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

#[test]
fn express_routes_middleware_and_chains() {
    let js = r#"const express = require('express');
const { requireAuth } = require('./auth');
const app = express();
const router = express.Router();

app.get('/health', (req, res) => res.send('ok'));
app.post('/api/login', login);
app.get('/api/orders', requireAuth, listOrders);
app.delete('/api/orders/:id', passport.authenticate('jwt', { session: false }), orders.remove);
router.route('/api/cart').get(showCart).post(addToCart);
axios.get('/not/a/route', config);
const value = map.get('key');
app.use(requireAuth);
app.put('/api/profile', updateProfile);
module.exports = router;
"#;
    assert_eq!(
        endpoints("src/server.js", js),
        vec![
            "DELETE /api/orders/:id handler=orders.remove auth=Some(true) guard=passport.authenticate('jwt', { session: false }) express:9",
            "GET /api/cart handler=showCart auth=None guard= express:10",
            "GET /api/orders handler=listOrders auth=Some(true) guard=requireAuth express:8",
            "GET /health handler= auth=Some(false) guard= express:6",
            "POST /api/cart handler=addToCart auth=None guard= express:10",
            "POST /api/login handler=login auth=Some(false) guard= express:7",
            "PUT /api/profile handler=updateProfile auth=Some(true) guard=app.use(requireAuth) express:14",
        ]
    );
}

#[test]
fn files_without_a_server_framework_have_no_routes() {
    assert!(
        endpoints(
            "src/client.js",
            "const api = require('axios');\napi.get('/users', cfg);\n"
        )
        .is_empty()
    );
}

#[test]
fn flask_routes_with_blueprints_and_decorators() {
    let py = r#"from flask import Flask, Blueprint
from flask_login import login_required

app = Flask(__name__)
admin = Blueprint("admin", __name__, url_prefix="/admin")

@app.route("/")
def index():
    return "hi"

@app.route("/orders", methods=["GET", "POST"])
@login_required
def orders():
    pass

@admin.get("/users/<int:user_id>")
def show_user(user_id):
    pass
"#;
    assert_eq!(
        endpoints("app.py", py),
        vec![
            "GET / handler=index auth=Some(false) guard= flask:7",
            "GET /admin/users/<int:user_id> handler=show_user auth=Some(false) guard= flask:16",
            "GET /orders handler=orders auth=Some(true) guard=@login_required flask:11",
            "POST /orders handler=orders auth=Some(true) guard=@login_required flask:11",
        ]
    );
}

#[test]
fn fastapi_routes_with_dependencies() {
    let py = r#"from fastapi import APIRouter, Depends, FastAPI

app = FastAPI()
router = APIRouter(prefix="/patients", dependencies=[Depends(get_current_user)])

@app.get("/status")
async def status():
    return {}

@app.post("/token")
async def token(form: Form = Depends()):
    return {}

@app.get("/me")
async def me(user: User = Depends(get_current_user)):
    return user

@router.get("/{patient_id}")
def read_patient(patient_id: int):
    pass

@app.delete("/items/{id}", dependencies=[Depends(verify_token)])
def delete_item(id: int):
    pass
"#;
    assert_eq!(
        endpoints("main.py", py),
        vec![
            "DELETE /items/{id} handler=delete_item auth=Some(true) guard=Depends(verify_token) fastapi:22",
            "GET /me handler=me auth=Some(true) guard=Depends(get_current_user) fastapi:14",
            "GET /patients/{patient_id} handler=read_patient auth=Some(true) guard=Depends(get_current_user) fastapi:18",
            "GET /status handler=status auth=Some(false) guard= fastapi:6",
            "POST /token handler=token auth=Some(false) guard= fastapi:10",
        ]
    );
}
