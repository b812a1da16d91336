//! Endpoints of NestJS, Next.js, Spring, JAX-RS and ASP.NET Core: method, path, handler, authentication,
//! guard and line.

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
fn nestjs_controllers_guards_and_public_routes() {
    assert_eq!(
        endpoints("src/users/users.controller.ts", NEST),
        vec![
            "ANY /admin/* handler=AdminController.proxy auth=None guard= nestjs:40",
            "DELETE /users/:id handler=UsersController.remove auth=Some(true) guard=@UseGuards(JwtAuthGuard, RolesGuard) nestjs:30",
            "GET /users handler=UsersController.findAll auth=Some(true) guard=@UseGuards(AuthGuard('jwt')) nestjs:11",
            "GET /users/:id handler=UsersController.findOne auth=Some(true) guard=@UseGuards(AuthGuard('jwt')) nestjs:16",
            "PATCH /admin/settings handler=AdminController.settings auth=Some(true) guard=@UseGuards(ThrottlerGuard, ApiKeyGuard) nestjs:44",
            "POST /users/register handler=UsersController.register auth=Some(false) guard= nestjs:22",
            "PUT /users/:id handler=UsersController.update auth=Some(true) guard=@UseGuards(AuthGuard('jwt')) nestjs:27",
            "PUT /users/:id/profile handler=UsersController.update auth=Some(true) guard=@UseGuards(AuthGuard('jwt')) nestjs:27",
        ]
    );
    assert_eq!(
        endpoints("src/health.controller.ts", NEST_PUBLIC),
        vec![
            "GET /health handler=HealthController.health auth=Some(false) guard= nestjs:6",
            "GET /metrics handler=HealthController.metrics auth=Some(true) guard=@Auth(Role.Admin) nestjs:11",
            "HEAD /ping handler=HealthController.ping auth=Some(false) guard= nestjs:16",
        ]
    );
}

#[test]
fn nestjs_route_decorators_outside_controllers_are_not_routes() {
    assert!(endpoints("src/users.resolver.ts", NEST_NEGATIVE).is_empty());
    // Without the `@nestjs/common` import the decorators are someone else's.
    assert!(
        endpoints(
            "src/users.controller.ts",
            &NEST.replace("'@nestjs/common'", "'./http'")
        )
        .is_empty()
    );
}

#[test]
fn nextjs_pages_router_methods_and_session_checks() {
    assert_eq!(
        endpoints("pages/api/users/[id].ts", NEXT_PAGES),
        vec![
            "GET /api/users/[id] handler=handler auth=Some(true) guard=getServerSession nextjs:5",
            "PUT /api/users/[id] handler=handler auth=Some(true) guard=getServerSession nextjs:5",
        ]
    );
    assert_eq!(
        endpoints("src/pages/api/index.js", NEXT_PAGES_ANY),
        vec!["ANY /api handler= auth=None guard= nextjs:1"]
    );
    assert_eq!(
        endpoints("apps/web/pages/api/admin/stats.ts", NEXT_PAGES_WRAPPED),
        vec![
            "GET /api/admin/stats handler=handler auth=Some(true) guard=withApiAuthRequired nextjs:3",
            "HEAD /api/admin/stats handler=handler auth=Some(true) guard=withApiAuthRequired nextjs:3",
        ]
    );
    // Issuing a token and checking a password is what a login route does, not a guard.
    assert_eq!(
        endpoints("pages/api/login.ts", NEXT_LOGIN),
        vec!["POST /api/login handler=login auth=None guard= nextjs:3"]
    );
}

#[test]
fn nextjs_app_router_route_handlers() {
    assert_eq!(
        endpoints("src/app/(dashboard)/api/projects/[projectId]/route.ts", NEXT_APP),
        vec![
            "DELETE /api/projects/[projectId] handler=DELETE auth=Some(true) guard=auth nextjs:11",
            "GET /api/projects/[projectId] handler=GET auth=None guard= nextjs:6",
            "PATCH /api/projects/[projectId] handler=update auth=Some(true) guard=currentUser nextjs:22",
            "PUT /api/projects/[projectId] handler=update auth=Some(true) guard=currentUser nextjs:22",
        ]
    );
    // The authentication library's own sign-in routes are not guarded by it.
    assert_eq!(
        endpoints("app/api/auth/[...nextauth]/route.ts", NEXT_APP_REEXPORT),
        vec![
            "GET /api/auth/[...nextauth] handler=handler auth=None guard= nextjs:6",
            "POST /api/auth/[...nextauth] handler=handler auth=None guard= nextjs:6",
        ]
    );
    assert_eq!(
        endpoints("app/route.js", "export function GET() {}\n"),
        vec!["GET / handler=GET auth=None guard= nextjs:1"]
    );
}

#[test]
fn nextjs_files_outside_the_route_layouts_are_not_routes() {
    assert!(endpoints("pages/users.tsx", NEXT_PAGES).is_empty());
    assert!(endpoints("app/_lib/route.ts", NEXT_APP).is_empty());
    assert!(endpoints("lib/api/route.ts", NEXT_APP).is_empty());
    assert!(endpoints("pages/api/users.test.ts", NEXT_PAGES).is_empty());
    assert!(
        endpoints(
            "pages/api/helpers.ts",
            "export function parse(req) { return req.method === 'GET'; }\n"
        )
        .is_empty()
    );
}

#[test]
fn spring_mappings_prefixes_and_method_security() {
    assert_eq!(
        endpoints("src/main/java/com/shop/OrderController.java", SPRING),
        vec![
            "ANY /api/orders/legacy/export handler=OrderController.export auth=None guard= spring:33",
            "GET /admin handler=AdminPages.admin auth=Some(true) guard=@RolesAllowed(\"ADMIN\") spring:47",
            "GET /api/orders handler=OrderController.list auth=None guard= spring:10",
            "GET /api/orders/search handler=OrderController.search auth=Some(false) guard= spring:27",
            "GET /api/orders/{id} handler=OrderController.get auth=Some(true) guard=@PreAuthorize(\"hasRole('USER')\") spring:15",
            "PATCH /admin/flags handler=AdminPages.flags auth=Some(false) guard= spring:52",
            "POST /api/orders handler=OrderController.create auth=Some(true) guard=@Secured(\"ROLE_ADMIN\") spring:21",
            "POST /api/orders/new handler=OrderController.create auth=Some(true) guard=@Secured(\"ROLE_ADMIN\") spring:21",
            "POST /api/orders/search handler=OrderController.search auth=Some(false) guard= spring:27",
        ]
    );
}

#[test]
fn spring_clients_and_services_are_not_controllers() {
    assert!(endpoints("src/main/java/com/shop/InventoryClient.java", SPRING_NEGATIVE).is_empty());
}

#[test]
fn jaxrs_resources_and_jsr250_annotations() {
    assert_eq!(
        endpoints("src/main/java/com/shop/UserResource.java", JAXRS),
        vec![
            "GET /status handler=StatusResource.status auth=None guard= jaxrs:39",
            "GET /users handler=UserResource.list auth=Some(true) guard=@RolesAllowed(\"user\") jaxrs:11",
            "GET /users/{id} handler=UserResource.get auth=Some(false) guard= jaxrs:16",
            "HEAD /status handler=StatusResource.status auth=None guard= jaxrs:38",
            "POST /users handler=UserResource.create auth=Some(true) guard=@RolesAllowed(\"user\") jaxrs:23",
        ]
    );
}

#[test]
fn jaxrs_rest_clients_and_classes_without_path_are_not_resources() {
    assert!(endpoints("src/main/java/com/shop/RemoteClient.java", JAXRS_NEGATIVE).is_empty());
}

#[test]
fn aspnet_attribute_routed_controllers() {
    assert_eq!(
        endpoints("Controllers/UsersController.cs", ASPNET_CONTROLLER),
        vec![
            "ANY /api/Users/Export handler=UsersController.ExportAsync auth=Some(true) guard=[Authorize(Roles = \"Admin\")] aspnet:25",
            "GET /Billing/Invoices/Pay/{id?} handler=InvoicesController.Pay auth=None guard= aspnet:43",
            "GET /api/Users handler=UsersController.List auth=Some(true) guard=[Authorize(Roles = \"Admin\")] aspnet:11",
            "GET /api/Users/{id:int} handler=UsersController.Get auth=Some(true) guard=[Authorize(Roles = \"Admin\")] aspnet:14",
            "GET /invoices/latest handler=InvoicesController.Latest auth=Some(true) guard=[Authorize] aspnet:39",
            "PATCH /api/Users/{id} handler=UsersController.Update auth=Some(true) guard=[Authorize(Roles = \"Admin\")] aspnet:22",
            "POST /Billing/Invoices/Pay/{id?} handler=InvoicesController.Pay auth=None guard= aspnet:43",
            "POST /api/Users/register handler=UsersController.RegisterAsync auth=Some(false) guard= aspnet:17",
            "PUT /v2/users/{id} handler=UsersController.Update auth=Some(true) guard=[Authorize(Roles = \"Admin\")] aspnet:21",
        ]
    );
}

#[test]
fn aspnet_minimal_apis_groups_and_authorization() {
    assert_eq!(
        endpoints("Program.cs", ASPNET_MINIMAL),
        vec![
            "DELETE /api/todos/{id} handler=Todos.Delete auth=Some(false) guard= aspnet:13",
            "GET / handler= auth=None guard= aspnet:4",
            "GET /api/public/ping handler= auth=None guard= aspnet:19",
            "GET /api/todos handler=GetAllTodos auth=Some(true) guard=.RequireAuthorization(\"TodoPolicy\") aspnet:10",
            "GET /me handler= auth=Some(true) guard=[Authorize] aspnet:5",
            "POST /api/admin/reindex handler=Reindex auth=Some(true) guard=.RequireAuthorization() aspnet:17",
            "POST /api/todos/{id} handler= auth=Some(true) guard=.RequireAuthorization(\"TodoPolicy\") aspnet:11",
            "POST /login handler=Auth.Login auth=Some(false) guard= aspnet:6",
            "PUT /api/admin/reindex handler=Reindex auth=Some(true) guard=.RequireAuthorization() aspnet:17",
            "PUT /items/{id} handler=UpdateItem auth=Some(true) guard=.RequireAuthorization(policy => policy.RequireRole(\"editor\")) aspnet:20",
        ]
    );
}

#[test]
fn aspnet_needs_a_web_project_file() {
    assert!(endpoints("Services/Cache.cs", ASPNET_NEGATIVE).is_empty());
}

/// Truncated and garbled sources parse with errors; the readers must cope, never panic.
#[test]
fn broken_sources_do_not_panic() {
    let cases = [
        ("src/users.controller.ts", NEST),
        ("src/health.controller.ts", NEST_PUBLIC),
        ("pages/api/users/[id].ts", NEXT_PAGES),
        ("pages/api/admin/stats.ts", NEXT_PAGES_WRAPPED),
        ("app/api/x/route.ts", NEXT_APP),
        ("src/Order.java", SPRING),
        ("src/User.java", JAXRS),
        ("Controllers/UsersController.cs", ASPNET_CONTROLLER),
        ("Program.cs", ASPNET_MINIMAL),
    ];
    for (path, text) in cases {
        for (cut, _) in text.char_indices().step_by(11) {
            let _ = analyze(path, &text[..cut]);
            let garbled = format!("{}){{[@\"{}", &text[..cut], &text[cut..]);
            let _ = analyze(path, &garbled);
        }
    }
}

const NEST: &str = r#"import { Body, Controller, Delete, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';

@Controller('users')
@UseGuards(AuthGuard('jwt'))
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  findAll() {
    return this.users.findAll();
  }

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.users.findOne(id);
  }

  @Public()
  @Post('/register/')
  register(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Put([':id', ':id/profile'])
  update(@Param('id') id: string, @Body() dto: UpdateUserDto) {}

  @Delete(':id')
  @UseGuards(JwtAuthGuard, RolesGuard)
  remove(@Param('id') id: string) {}

  @Get(USERS_EXPORT_PATH)
  exportAll() {}
}

@Controller({ path: '/admin/', version: '1' })
export class AdminController {
  @All('*')
  @UseGuards(ThrottlerGuard)
  proxy() {}

  @Patch('settings')
  @UseGuards(ThrottlerGuard, ApiKeyGuard)
  settings() {}
}
"#;

const NEST_PUBLIC: &str = r#"import { Controller, Get, SetMetadata } from '@nestjs/common';

@Controller()
@Public()
class HealthController {
  @Get('health')
  health() {
    return 'ok';
  }

  @Get('metrics')
  @Auth(Role.Admin)
  metrics() {}

  @SetMetadata('isPublic', true)
  @Head('ping')
  ping() {}
}
"#;

const NEST_NEGATIVE: &str = r#"import { Injectable, Get } from '@nestjs/common';
import { Resolver, Query } from '@nestjs/graphql';

@Resolver()
export class UsersResolver {
  @Query()
  @Get('users')
  users() {}
}

@Controller('legacy')
export class Legacy {
  @Get
  old() {}
}
"#;

const NEXT_PAGES: &str = r#"import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerSession } from 'next-auth/next';
import { authOptions } from '../../auth/[...nextauth]';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) {
    return res.status(401).end();
  }
  switch (req.method) {
    case 'GET':
      return res.json(await db.user.find(req.query.id));
    case 'PUT':
      return res.json(await db.user.update(req.query.id, req.body));
    default:
      res.setHeader('Allow', ['GET', 'PUT']);
      return res.status(405).end();
  }
}
"#;

const NEXT_PAGES_ANY: &str = r#"export default (req, res) => {
  res.status(200).json({ name: 'John Doe' });
};
"#;

const NEXT_PAGES_WRAPPED: &str = r#"import { withApiAuthRequired, getSession } from '@auth0/nextjs-auth0';

const handler = async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return res.status(405).end();
  }
  res.json(await stats());
};

export default withApiAuthRequired(handler);
"#;

const NEXT_LOGIN: &str = r#"const jwt = require('jsonwebtoken');

async function login(req, res) {
  if (!['POST'].includes(req.method)) return res.status(405).end();
  const user = await users.findByEmail(req.body.email);
  if (!user || !(await verifyPassword(req.body.password, user.hash))) return res.status(401).end();
  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET);
  res.json({ token });
}

module.exports = login;
"#;

const NEXT_APP: &str = r#"import { NextResponse } from 'next/server';
import { auth } from '@/auth';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: { projectId: string } }) {
  const project = await db.project.findUnique({ where: { id: params.projectId } });
  return NextResponse.json(project);
}

export const DELETE = auth(async (request) => {
  await db.project.delete({ where: { id: request.params.projectId } });
  return new Response(null, { status: 204 });
});

async function update(request: Request) {
  const user = await currentUser();
  if (!user) return new Response('Unauthorized', { status: 401 });
  return NextResponse.json(await request.json());
}

export { update as PATCH, update as PUT };

function helper() {}
export { helper };
"#;

const NEXT_APP_REEXPORT: &str = r#"import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth';

const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
"#;

const SPRING: &str = r#"package com.shop;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/orders")
public class OrderController {

    @GetMapping
    public List<Order> list() {
        return orders.findAll();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('USER')")
    public Order get(@PathVariable Long id) {
        return orders.find(id);
    }

    @PostMapping(value = {"", "/new"}, consumes = "application/json")
    @Secured("ROLE_ADMIN")
    public Order create(@RequestBody Order order) {
        return orders.save(order);
    }

    @RequestMapping(path = "/search", method = {RequestMethod.GET, RequestMethod.POST})
    @PreAuthorize("permitAll()")
    public List<Order> search(@RequestParam String q) {
        return orders.search(q);
    }

    @RequestMapping("/legacy/" + "export")
    public String export() {
        return "";
    }

    @DeleteMapping(Paths.ORDER)
    public void delete() {}

    private void helper() {}
}

@Controller
@RolesAllowed("ADMIN")
class AdminPages {
    @GetMapping(path = "admin")
    public String admin() {
        return "admin";
    }

    @PatchMapping("/admin/flags")
    @PermitAll
    public void flags() {}
}
"#;

const SPRING_NEGATIVE: &str = r#"import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.stereotype.Service;

@FeignClient(name = "inventory")
public interface InventoryClient {
    @GetMapping("/stock/{sku}")
    int stock(@PathVariable String sku);
}

@Service
public class InventoryService {
    @GetMapping("/not-a-controller")
    public int count() { return 0; }
}
"#;

const JAXRS: &str = r#"package com.shop;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.*;

@Path("/users")
@RolesAllowed("user")
public class UserResource {

    @GET
    public List<User> list() {
        return users.all();
    }

    @GET
    @Path("{id}")
    @PermitAll
    public User get(@PathParam("id") long id) {
        return users.find(id);
    }

    @POST
    @Path("/")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(User user) {
        return Response.ok().build();
    }

    @Path("{id}/orders")
    public OrderResource orders() {
        return new OrderResource();
    }
}

@Path("status")
class StatusResource {
    @HEAD
    @jakarta.ws.rs.GET
    public String status() { return "ok"; }
}
"#;

const JAXRS_NEGATIVE: &str = r#"import javax.ws.rs.GET;
import javax.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

@Path("/remote")
@RegisterRestClient
public interface RemoteClient {
    @GET
    String fetch();
}

public class Helper {
    @GET
    public String notARoute() { return ""; }
}
"#;

const ASPNET_CONTROLLER: &str = r#"using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Controllers;

[ApiController]
[Route("api/[controller]")]
[Authorize(Roles = "Admin")]
public class UsersController : ControllerBase
{
    [HttpGet]
    public IActionResult List() => Ok();

    [HttpGet("{id:int}")]
    public IActionResult Get(int id) => Ok();

    [HttpPost("register")]
    [AllowAnonymous]
    public async Task<IActionResult> RegisterAsync(RegisterDto dto) => Ok();

    [HttpPut("/v2/users/{id}")]
    [HttpPatch("{id}")]
    public IActionResult Update(int id) => Ok();

    [Route("[action]")]
    public IActionResult ExportAsync() => Ok();

    [NonAction]
    [HttpGet("hidden")]
    public IActionResult Hidden() => Ok();

    public void Helper() { }
}

[Area("Billing")]
[Route("[area]/[controller]")]
public class InvoicesController : Controller
{
    [HttpGet("~/invoices/latest")]
    [Authorize]
    public IActionResult Latest() => View();

    [AcceptVerbs("GET", "POST", Route = "[action]/{id?}")]
    public IActionResult Pay(int? id) => View();
}
"#;

const ASPNET_MINIMAL: &str = r#"var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/", () => "Hello World!");
app.MapGet("/me", [Authorize] (ClaimsPrincipal user) => user.Identity?.Name);
app.MapPost("/login", Auth.Login).AllowAnonymous();

var api = app.MapGroup("/api");
var todos = api.MapGroup("/todos").RequireAuthorization("TodoPolicy");
todos.MapGet("/", GetAllTodos);
todos.MapPost("/{id}", (int id) => Results.Ok(id))
    .WithName("CreateTodo");
todos.MapDelete("/{id}", Todos.Delete).AllowAnonymous();

var admin = api.MapGroup("admin");
admin.RequireAuthorization();
admin.MapMethods("/reindex", new[] { "POST", "PUT" }, Reindex);

api.MapGroup("/public").MapGet("/ping", () => "pong");
app.MapPut("/items/{id}", UpdateItem).RequireAuthorization(policy => policy.RequireRole("editor"));
var dto = mapper.Map<UserDto>(user);
var flag = settings.MapGet("feature-flags");

app.Run();
"#;

const ASPNET_NEGATIVE: &str = r#"using Microsoft.Extensions.Caching.Memory;

public class Cache
{
    [HttpGet("looks/like/a/route")]
    public string Get(string key) => cache.MapGet("/x", key);
}
"#;
