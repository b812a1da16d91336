//! Tree helpers the model readers share: class members, decorators and object keys in JavaScript and
//! TypeScript, class-body assignments and base classes in Python, and the rule that a model without fields
//! is not reported. Every helper returns nothing rather than guessing when a node is missing or an ERROR.

use tree_sitter::Node;

use crate::facts::{Field, Model};
use crate::syntax::{SyntaxFile, line, named_children};

/// Adds a model unless it has no fields: a declaration that names no field (an empty class, a model whose
/// columns live in another file) tells nothing about the data it holds.
pub fn push_model(
    out: &mut Vec<Model>,
    name: &str,
    framework: &'static str,
    fields: Vec<Field>,
    at: Node<'_>,
) {
    if name.is_empty() || fields.is_empty() {
        return;
    }
    out.push(Model {
        name: name.to_owned(),
        framework,
        fields,
        line: line(at),
    });
}

pub fn field(name: impl Into<String>, at: Node<'_>) -> Field {
    Field {
        name: name.into(),
        line: line(at),
    }
}

/// The last segment of a dotted or scoped name (`models.CharField` -> `CharField`, `ORM.Entity` -> `Entity`).
pub fn last_segment(text: &str) -> &str {
    text.rsplit(['.', ':', '\\']).next().unwrap_or(text).trim()
}

// JavaScript and TypeScript.

/// A class-like declaration's name (`class_declaration`, `abstract_class_declaration`, interfaces, aliases).
pub fn js_name<'a>(file: &SyntaxFile<'a>, node: Node<'_>) -> Option<&'a str> {
    node.child_by_field_name("name")
        .map(|n| file.text_of(n))
        .filter(|n| !n.is_empty())
}

/// The name a decorator applies (`@Entity()`, `@Column`, `@ORM.Entity('x')` -> `Entity`, `Column`, `Entity`).
pub fn js_decorator_name<'a>(file: &SyntaxFile<'a>, decorator: Node<'_>) -> Option<&'a str> {
    let expression = named_children(decorator).into_iter().next()?;
    let callee = match expression.kind() {
        "call_expression" => expression.child_by_field_name("function")?,
        _ => expression,
    };
    match callee.kind() {
        "identifier" | "member_expression" => Some(last_segment(file.text_of(callee))),
        _ => None,
    }
}

/// The full callee text of a decorator (`cv.IsEmail` for `@cv.IsEmail()`).
pub fn js_decorator_callee<'a>(file: &SyntaxFile<'a>, decorator: Node<'_>) -> Option<&'a str> {
    let expression = named_children(decorator).into_iter().next()?;
    let callee = match expression.kind() {
        "call_expression" => expression.child_by_field_name("function")?,
        _ => expression,
    };
    matches!(callee.kind(), "identifier" | "member_expression").then(|| file.text_of(callee))
}

/// Decorators of a class: its own, and those written before `export` (which tree-sitter attaches to the
/// export statement).
pub fn js_class_decorators<'a>(file: &SyntaxFile<'a>, class: Node<'_>) -> Vec<&'a str> {
    let mut decorators: Vec<Node<'_>> = named_children(class)
        .into_iter()
        .filter(|c| c.kind() == "decorator")
        .collect();
    if let Some(parent) = class.parent().filter(|p| p.kind() == "export_statement") {
        decorators.extend(
            named_children(parent)
                .into_iter()
                .filter(|c| c.kind() == "decorator"),
        );
    }
    decorators
        .into_iter()
        .filter_map(|d| js_decorator_name(file, d))
        .collect()
}

/// What a class extends, as written (`Model`, `Sequelize.Model`, `Model<User>` -> `Model`).
pub fn js_superclass<'a>(file: &SyntaxFile<'a>, class: Node<'_>) -> Option<&'a str> {
    let heritage = named_children(class)
        .into_iter()
        .find(|c| c.kind() == "class_heritage")?;
    let first = named_children(heritage).into_iter().next()?;
    // TypeScript wraps the superclass in an `extends_clause`; JavaScript has the expression itself.
    let value = match first.kind() {
        "extends_clause" => first.child_by_field_name("value")?,
        "implements_clause" => return None,
        _ => first,
    };
    Some(file.text_of(value))
}

/// A property of a class body.
#[derive(Debug)]
pub struct JsMember<'a, 'n> {
    pub name: String,
    pub node: Node<'n>,
    /// Decorator full callee texts (`Column`, `cv.IsEmail`).
    pub decorators: Vec<&'a str>,
    /// `static`, `private`, `protected` or `#private`: not part of the shape a model or DTO exposes.
    pub hidden: bool,
}

/// The properties (not methods) of a class body, in source order.
pub fn js_members<'a, 'n>(file: &SyntaxFile<'a>, class: Node<'n>) -> Vec<JsMember<'a, 'n>> {
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut members = Vec::new();
    let mut cursor = body.walk();
    for member in body.named_children(&mut cursor) {
        if !matches!(member.kind(), "public_field_definition" | "field_definition") {
            continue;
        }
        let Some(name_node) = member
            .child_by_field_name("name")
            .or_else(|| member.child_by_field_name("property"))
        else {
            continue;
        };
        let Some(name) = js_key(file, name_node) else {
            continue;
        };
        let mut decorators = Vec::new();
        let mut hidden = name_node.kind() == "private_property_identifier";
        let mut inner = member.walk();
        for child in member.children(&mut inner) {
            match child.kind() {
                "decorator" => decorators.extend(js_decorator_callee(file, child)),
                "static" => hidden = true,
                "accessibility_modifier" => hidden |= file.text_of(child) != "public",
                _ => {}
            }
        }
        members.push(JsMember {
            name,
            node: name_node,
            decorators,
            hidden,
        });
    }
    members
}

/// A property key as a name: identifiers and plain string keys; computed keys are not names.
pub fn js_key(file: &SyntaxFile<'_>, key: Node<'_>) -> Option<String> {
    match key.kind() {
        "property_identifier" | "identifier" | "shorthand_property_identifier" => {
            Some(file.text_of(key).to_owned())
        }
        "string" => file.string_value(key).filter(|s| !s.is_empty()),
        "number" => Some(file.text_of(key).to_owned()),
        _ => None,
    }
}

/// The keys of an object literal as fields (`{ email: String, 'date_of_birth': Date, phone }`).
pub fn js_object_fields(file: &SyntaxFile<'_>, object: Node<'_>) -> Vec<Field> {
    let mut fields = Vec::new();
    for entry in named_children(object) {
        let key = match entry.kind() {
            "pair" => entry.child_by_field_name("key"),
            "shorthand_property_identifier" => Some(entry),
            _ => None,
        };
        if let Some(key) = key
            && let Some(name) = js_key(file, key)
        {
            fields.push(field(name, key));
        }
    }
    fields
}

/// The named arguments of a call expression.
pub fn js_arguments(call: Node<'_>) -> Vec<Node<'_>> {
    call.child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
}

/// The name a value is bound to: `const x = value`, `x = value`, `exports.x = value`.
pub fn js_binding<'a>(file: &SyntaxFile<'a>, value: Node<'_>) -> Option<&'a str> {
    let parent = value.parent()?;
    let target = match parent.kind() {
        "variable_declarator" => parent.child_by_field_name("name")?,
        "assignment_expression" => parent.child_by_field_name("left")?,
        _ => return None,
    };
    match target.kind() {
        "identifier" => Some(file.text_of(target)),
        "member_expression" => target.child_by_field_name("property").map(|p| file.text_of(p)),
        _ => None,
    }
}

// Python.

/// An assignment directly in a class body: `name = value`, `name: Type`, `name: Type = value`.
#[derive(Debug)]
pub struct PyAssignment<'n> {
    pub name: String,
    pub node: Node<'n>,
    pub annotation: Option<Node<'n>>,
    pub value: Option<Node<'n>>,
}

pub fn py_class_assignments<'n>(file: &SyntaxFile<'_>, class: Node<'n>) -> Vec<PyAssignment<'n>> {
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for statement in named_children(body) {
        if statement.kind() != "expression_statement" {
            continue;
        }
        for assignment in named_children(statement) {
            if assignment.kind() != "assignment" {
                continue;
            }
            let Some(left) = assignment
                .child_by_field_name("left")
                .filter(|l| l.kind() == "identifier")
            else {
                continue;
            };
            found.push(PyAssignment {
                name: file.text_of(left).to_owned(),
                node: left,
                annotation: assignment.child_by_field_name("type"),
                value: assignment.child_by_field_name("right"),
            });
        }
    }
    found
}

/// The base classes of a class as written (`models.Model`, `Base`), keyword arguments left out.
pub fn py_bases<'a>(file: &SyntaxFile<'a>, class: Node<'_>) -> Vec<&'a str> {
    let Some(superclasses) = class.child_by_field_name("superclasses") else {
        return Vec::new();
    };
    named_children(superclasses)
        .into_iter()
        .filter(|b| matches!(b.kind(), "identifier" | "attribute" | "subscript"))
        .map(|b| file.text_of(b))
        .collect()
}

/// The callee of a call node as written (`models.CharField`, `Column`).
pub fn py_callee<'a>(file: &SyntaxFile<'a>, call: Node<'_>) -> Option<&'a str> {
    if call.kind() != "call" {
        return None;
    }
    call.child_by_field_name("function").map(|f| file.text_of(f))
}

/// Every class of a Python file with its name and bases.
pub fn py_classes<'a, 'n>(file: &'n SyntaxFile<'a>) -> Vec<(Node<'n>, &'a str, Vec<&'a str>)> {
    nodes_of_kind(file, &["class_definition"])
        .into_iter()
        .filter_map(|class| {
            let name = class.child_by_field_name("name")?;
            Some((class, file.text_of(name), py_bases(file, class)))
        })
        .collect()
}

/// Nodes of the given kinds, in source order, kept beyond the visit (unlike `SyntaxFile::walk`).
pub fn nodes_of_kind<'n>(file: &'n SyntaxFile<'_>, kinds: &[&str]) -> Vec<Node<'n>> {
    let mut found = Vec::new();
    let mut cursor = file.tree.walk();
    loop {
        let node = cursor.node();
        if kinds.contains(&node.kind()) {
            found.push(node);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return found;
            }
        }
    }
}

/// Names of the classes that derive, directly or through other classes of the same file, from a class
/// `is_root` accepts. Iterates to a fixed point: each round adds at least one class or stops.
pub fn py_derived<'a>(
    classes: &[(Node<'_>, &'a str, Vec<&'a str>)],
    is_root: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    let mut derived: Vec<&str> = Vec::new();
    loop {
        let before = derived.len();
        for (_, name, bases) in classes {
            if derived.contains(name) {
                continue;
            }
            if bases
                .iter()
                .any(|b| is_root(b) || derived.contains(&last_segment(b)))
            {
                derived.push(name);
            }
        }
        if derived.len() == before {
            return derived;
        }
    }
}
