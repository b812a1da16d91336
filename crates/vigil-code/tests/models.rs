#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Data models per library: name, framework, line, and fields with their lines.

use vigil_code::analyze;
use vigil_code::models::prisma_models;

/// `framework Name:line field:line field:line`, sorted as `analyze` sorts models.
fn models(path: &str, text: &str) -> Vec<String> {
    analyze(path, text).unwrap().models.iter().map(render).collect()
}

fn render(m: &vigil_code::Model) -> String {
    let fields: Vec<String> = m
        .fields
        .iter()
        .map(|f| format!("{}:{}", f.name, f.line))
        .collect();
    format!("{} {}:{} {}", m.framework, m.name, m.line, fields.join(" "))
}

#[test]
fn sequelize_define_init_and_decorators() {
    let js = r#"const { Sequelize, DataTypes, Model } = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL);

const User = sequelize.define('User', {
  firstName: { type: DataTypes.STRING, allowNull: false },
  email: { type: DataTypes.STRING, unique: true },
  'date_of_birth': DataTypes.DATEONLY,
}, { tableName: 'users' });

class Order extends Model {}
Order.init({
  total: DataTypes.DECIMAL(10, 2),
  cardLast4: DataTypes.STRING(4),
}, { sequelize, modelName: 'order' });

class Chart {}
Chart.init({ width: 100 });
customElements.define('x-chart', ChartElement);
const Empty = sequelize.define('Empty', {});
"#;
    assert_eq!(
        models("models/index.js", js),
        vec![
            "sequelize Order:10 total:12 cardLast4:13",
            "sequelize User:4 firstName:5 email:6 date_of_birth:7",
        ]
    );
    let ts = r#"import { Table, Column, Model, DataType, BelongsTo, ForeignKey } from 'sequelize-typescript';

@Table({ tableName: 'patients' })
export class Patient extends Model {
  @Column(DataType.STRING)
  declare ssn: string;

  @ForeignKey(() => Clinic)
  @Column
  clinicId!: number;

  @BelongsTo(() => Clinic)
  clinic?: Clinic;

  get label(): string { return this.ssn; }
  cache = new Map();
}
"#;
    assert_eq!(
        models("src/patient.model.ts", ts),
        vec!["sequelize Patient:4 ssn:6 clinicId:10 clinic:13"]
    );
}

#[test]
fn sequelize_lookalikes_are_not_models() {
    // Without a sequelize import, `define` is someone else's.
    let js = "const db = require('./db');\nconst User = db.define('User', { email: String });\n";
    assert!(models("src/user.js", js).is_empty());
}

#[test]
fn typeorm_entities() {
    let ts = r#"import { Entity, Column, PrimaryGeneratedColumn, OneToMany, CreateDateColumn } from 'typeorm';
import { IsEmail } from 'class-validator';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ unique: true })
  @IsEmail()
  email: string;

  @Column({ select: false })
  passwordHash!: string;

  @OneToMany(() => Order, (order) => order.user)
  orders: Order[];

  @CreateDateColumn()
  createdAt: Date;

  fullName?: string;

  greet(): string {
    return `hi ${this.email}`;
  }
}

@Entity()
class AuditLog {
  @PrimaryGeneratedColumn() id: number;
  @Column('inet') ipAddress: string;
}

export class UserService {
  constructor(private readonly users: Repository<User>) {}
  cache: Map<string, User>;
}
"#;
    assert_eq!(
        models("src/user.entity.ts", ts),
        vec![
            "typeorm AuditLog:30 id:31 ipAddress:32",
            "typeorm User:5 id:7 email:11 passwordHash:14 orders:17 createdAt:20"
        ]
    );
}

#[test]
fn typeorm_decorators_without_typeorm_are_not_entities() {
    let ts =
        "import { Entity } from './my-orm';\n@Entity()\nexport class User {\n  @Column() email: string;\n}\n";
    assert!(models("src/user.ts", ts).is_empty());
}

#[test]
fn mongoose_schemas_and_registered_names() {
    let js = r#"const mongoose = require('mongoose');
const { Schema } = mongoose;

const userSchema = new Schema({
  email: { type: String, required: true, lowercase: true },
  ssn: String,
  address: { street: String, city: String },
  orders: [{ type: Schema.Types.ObjectId, ref: 'Order' }],
}, { timestamps: true });

const visitSchema = new mongoose.Schema({ diagnosis: String, notes: String });

module.exports = {
  User: mongoose.model('User', userSchema),
  Device: mongoose.model('Device', new Schema({ imei: String })),
};
const fromVariable = new Schema(definition);
new Schema({ orphan: String });
"#;
    assert_eq!(
        models("models/user.js", js),
        vec![
            "mongoose Device:15 imei:15",
            "mongoose User:4 email:5 ssn:6 address:7 orders:8",
            "mongoose visitSchema:11 diagnosis:11 notes:11"
        ]
    );
    let ts = r#"import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ timestamps: true })
export class Cat {
  @Prop({ required: true })
  name: string;

  @Prop()
  ownerEmail: string;

  tmp: string;
}
export const CatSchema = SchemaFactory.createForClass(Cat);
"#;
    assert_eq!(
        models("src/cats/cat.schema.ts", ts),
        vec!["mongoose Cat:4 name:6 ownerEmail:9"]
    );
}

#[test]
fn schema_without_mongoose_is_not_a_model() {
    let js =
        "const { Schema } = require('prosemirror-model');\nconst s = new Schema({ nodes: {}, marks: {} });\n";
    assert!(models("src/editor.js", js).is_empty());
}

#[test]
fn sqlalchemy_declarative_and_core() {
    let py = r#"from typing import List, Optional
from sqlalchemy import Column, ForeignKey, Integer, String, Table, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column("email_address", String(255), unique=True)
    ssn: Mapped[str] = mapped_column(String(11))
    nickname: Mapped[Optional[str]]
    orders: Mapped[List["Order"]] = relationship(back_populates="user")
    MAX_NAME = 80

    def greet(self):
        return f"hi {self.email}"

metadata = MetaData()
cards = Table(
    "cards",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pan", String(19)),
)
"#;
    assert_eq!(
        models("app/models.py", py),
        vec![
            "sqlalchemy User:8 id:11 email:12 ssn:13 nickname:14 orders:15",
            "sqlalchemy cards:22 id:25 pan:26",
        ]
    );
}

#[test]
fn flask_sqlalchemy_models_that_import_only_db() {
    let py = r#"from app import db

class Patient(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    mrn = db.Column(db.String(20))
    visits = db.relationship("Visit")

class Report:
    columns = Column("title")
"#;
    assert_eq!(
        models("app/models.py", py),
        vec!["sqlalchemy Patient:3 id:4 mrn:5 visits:6"]
    );
}

#[test]
fn django_models() {
    let py = r#"from django.contrib.auth.models import AbstractUser
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField

class TimeStamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

class Patient(TimeStamped):
    first_name = models.CharField(max_length=100)
    phone = PhoneNumberField()
    diagnosis = models.TextField(blank=True)
    doctor = models.ForeignKey("Doctor", on_delete=models.CASCADE)
    objects = PatientManager()

    class Meta:
        db_table = "patients"

    def __str__(self):
        return self.first_name

class Account(AbstractUser):
    date_of_birth = models.DateField(null=True)

class Visit(ProjectBase):
    notes = models.TextField()

class Proxy(models.Model):
    pass
"#;
    assert_eq!(
        models("clinic/models.py", py),
        vec![
            "django Account:24 date_of_birth:25",
            "django Patient:11 first_name:12 phone:13 diagnosis:14 doctor:15",
            "django TimeStamped:5 created:6",
            "django Visit:27 notes:28",
        ]
    );
}

#[test]
fn django_forms_and_serializers_are_not_models() {
    let py = r#"from django import forms
from rest_framework import serializers

class SignupForm(forms.Form):
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput)

class UserSerializer(serializers.ModelSerializer):
    email = serializers.EmailField()
"#;
    assert!(models("accounts/forms.py", py).is_empty());
}

#[test]
fn pydantic_dtos() {
    let py = r#"from typing import ClassVar
from pydantic import BaseModel, EmailStr, Field
from pydantic_settings import BaseSettings

class UserBase(BaseModel):
    email: EmailStr
    full_name: str | None = None

class UserCreate(UserBase):
    password: str = Field(min_length=8)
    _hashed: str = ""
    registry: ClassVar[dict] = {}
    model_config = {"extra": "forbid"}

    class Config:
        orm_mode = True

class Settings(BaseSettings):
    database_password: str

class Plain:
    email: str
"#;
    assert_eq!(
        models("app/schemas.py", py),
        vec![
            "pydantic UserBase:5 email:6 full_name:7",
            "pydantic UserCreate:9 password:10"
        ]
    );
}

#[test]
fn annotated_classes_without_pydantic_are_not_dtos() {
    let py = "from dataclasses import dataclass\n\n@dataclass\nclass User:\n    email: str\n";
    assert!(models("app/user.py", py).is_empty());
}

#[test]
fn jpa_entities() {
    let java = r#"package com.shop.model;

import jakarta.persistence.*;
import java.util.List;

@Entity
@Table(name = "users")
public class User {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "email_address", nullable = false)
    private String email;

    private String firstName, lastName;

    @OneToMany(mappedBy = "user")
    private List<Order> orders;

    private static final long serialVersionUID = 1L;
    private transient String cached;

    @Transient
    private String displayName;

    public String getEmail() { return email; }

    @Embeddable
    public static class Address {
        private String street;
    }
}

@jakarta.persistence.MappedSuperclass
abstract class Audited {
    protected java.time.Instant createdAt;
}
"#;
    assert_eq!(
        models("src/main/java/com/shop/model/User.java", java),
        vec![
            "jpa Address:30 street:31",
            "jpa Audited:36 createdAt:37",
            "jpa User:8 id:11 email:14 firstName:16 lastName:16 orders:19",
        ]
    );
}

#[test]
fn plain_java_classes_are_not_entities() {
    let java = "@Service\npublic class UserService {\n    private final UserRepository users;\n    private String password;\n}\n";
    assert!(models("src/main/java/UserService.java", java).is_empty());
}

#[test]
fn gorm_models() {
    let go = r#"package models

import (
	"time"

	"gorm.io/gorm"
)

type User struct {
	gorm.Model
	Email        string `gorm:"uniqueIndex;not null"`
	PasswordHash string `json:"-"`
	First, Last  string
	Orders       []Order
	session      string
	Cache        string `gorm:"-"`
}

type Order struct {
	ID        uint   `gorm:"primaryKey"`
	CardToken string `gorm:"column:card_token"`
	CreatedAt time.Time
}

type Visit struct {
	ID        uint
	Diagnosis string
}

func Migrate(db *gorm.DB) error {
	return db.AutoMigrate(&User{}, &Order{}, &Visit{})
}

type Config struct {
	Port int `json:"port"`
}
"#;
    assert_eq!(
        models("internal/models/models.go", go),
        vec![
            "gorm Order:19 ID:20 CardToken:21 CreatedAt:22",
            "gorm User:9 Email:11 PasswordHash:12 First:13 Last:13 Orders:14",
            "gorm Visit:25 ID:26 Diagnosis:27",
        ]
    );
}

#[test]
fn go_structs_without_gorm_are_not_models() {
    let go = "package api\n\ntype LoginRequest struct {\n\tEmail    string `json:\"email\"`\n\tPassword string `json:\"password\"`\n}\n";
    assert!(models("internal/api/types.go", go).is_empty());
}

#[test]
fn activerecord_schema_dump() {
    let rb = r#"ActiveRecord::Schema[7.1].define(version: 2024_03_01_120000) do
  enable_extension "plpgsql"

  create_table "users", force: :cascade do |t|
    t.string "email", default: "", null: false
    t.string "encrypted_password", default: "", null: false
    t.date "date_of_birth"
    t.datetime "created_at", null: false
    t.index ["email"], name: "index_users_on_email", unique: true
  end

  create_table "sessions" do |t|
    t.timestamps
  end

  add_foreign_key "orders", "users"
end
"#;
    assert_eq!(
        models("db/schema.rb", rb),
        vec!["activerecord users:4 email:5 encrypted_password:6 date_of_birth:7 created_at:8"]
    );
}

#[test]
fn activerecord_model_classes() {
    let rb = r#"class User < ApplicationRecord
  has_many :orders, dependent: :destroy
  has_secure_password
  has_secure_token :auth_token
  encrypts :ssn, :phone
  attribute :nickname, :string
  store_accessor :settings, :theme, :locale
  validates :email, presence: true
end

class Order < ApplicationRecord
  belongs_to :user
  validates :total, numericality: true
end

class Report
  attribute :title
end
"#;
    assert_eq!(
        models("app/models/user.rb", rb),
        vec!["activerecord User:1 password:3 auth_token:4 ssn:5 phone:5 nickname:6 theme:7 locale:7"]
    );
}

#[test]
fn activerecord_migrations_are_not_read() {
    let rb = r#"class CreateUsers < ActiveRecord::Migration[7.1]
  def change
    create_table :users do |t|
      t.string :email
    end
  end
end
"#;
    assert!(models("db/migrate/20240101000000_create_users.rb", rb).is_empty());
}

#[test]
fn entity_framework_entities() {
    let cs = r#"using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Shop.Data;

public class Customer
{
    public int Id { get; set; }
    public string Email { get; set; } = "";
    public string FullName => $"{First} {Last}";
    public virtual ICollection<Order> Orders { get; set; }
    [NotMapped]
    public string Token { get; set; }
    public static int Count { get; set; }
}

[Table("payments")]
public class Payment
{
    public long Id { get; set; }
    public string CardNumber { get; init; }
}

public class AuditEntry
{
    [Key]
    public Guid EntryId { get; set; }
    public string IpAddress { get; set; }
}

public class ShopContext : DbContext
{
    public DbSet<Customer> Customers { get; set; }
    public DbSet<Order> Orders => Set<Order>();
}

public class CustomerViewModel
{
    public string Email { get; set; }
}
"#;
    assert_eq!(
        models("Data/ShopContext.cs", cs),
        vec![
            "entity-framework AuditEntry:25 EntryId:28 IpAddress:29",
            "entity-framework Customer:7 Id:9 Email:10 Orders:12",
            "entity-framework Payment:19 Id:21 CardNumber:22",
        ]
    );
}

#[test]
fn csharp_classes_without_a_context_or_attributes_are_not_entities() {
    let cs = "public class LoginModel\n{\n    public string Email { get; set; }\n    public string Password { get; set; }\n}\n";
    assert!(models("Models/LoginModel.cs", cs).is_empty());
}

#[test]
fn typescript_dtos() {
    let ts = r#"import { IsEmail, IsString, MinLength } from 'class-validator';
import * as cv from 'class-validator';

export interface UserDTO {
  id: number;
  fullName: string;
  'date-of-birth'?: string;
}

export type AddressDto = { street: string; city: string };

export class CreateUserDto {
  @IsEmail()
  email: string;

  @IsString()
  @MinLength(8)
  password: string;

  private static readonly version = 1;
}

export class SignupBody {
  @cv.IsPhoneNumber()
  phone: string;
  referrer?: string;
}

export class LoginInput {
  @IsEmail() email: string;
  #attempts = 0;
}
"#;
    assert_eq!(
        models("src/users/dto.ts", ts),
        vec![
            "dto AddressDto:10 street:10 city:10",
            "dto CreateUserDto:12 email:14 password:18",
            "dto LoginInput:29 email:30",
            "dto SignupBody:23 phone:25 referrer:26",
            "dto UserDTO:4 id:5 fullName:6 date-of-birth:7",
        ]
    );
}

#[test]
fn typescript_types_that_are_not_dtos() {
    let ts = r#"import { Entity, Column, PrimaryGeneratedColumn } from 'typeorm';
import { IsEmail } from 'class-validator';
import { Injectable } from '@nestjs/common';

export interface UserProps { email: string }

@Injectable()
export class MailerService {
  @Inject() private readonly transport: Transport;
  sender: string;
}

@Entity()
export class Subscriber {
  @PrimaryGeneratedColumn() id: number;
  @Column() @IsEmail() email: string;
}

export type Dto = string;
"#;
    assert_eq!(
        models("src/mail.ts", ts),
        vec!["typeorm Subscriber:14 id:15 email:16"]
    );
}

#[test]
fn prisma_schema() {
    let schema = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

/// A customer.
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique // login
  // legacy: phone String
  orders    Order[]
  profile   Profile? @relation(fields: [profileId], references: [id])
  profileId Int?

  @@map("users")
  @@index([email])
}

enum Role {
  USER
  ADMIN
}

type Address {
  street String
}

model Empty {}
"#;
    let rendered: Vec<String> = prisma_models(schema).iter().map(render).collect();
    assert_eq!(
        rendered,
        vec![
            "prisma User:7 id:8 email:9 orders:11 profile:12 profileId:13",
            "prisma Address:24 street:25"
        ]
    );
}

#[test]
fn prisma_files_that_hold_no_models() {
    assert!(prisma_models("").is_empty());
    assert!(prisma_models("generator client {\n  provider = \"prisma-client-js\"\n}\n").is_empty());
    // An unclosed block is not a model: the file is cut or broken.
    assert!(prisma_models("model Broken {\n  id Int\n").is_empty());
}

#[test]
fn empty_files_have_no_models() {
    for path in [
        "a.js",
        "a.ts",
        "a.tsx",
        "a.py",
        "A.java",
        "a.go",
        "db/schema.rb",
        "app/models/a.rb",
        "A.cs",
    ] {
        assert!(models(path, "").is_empty(), "{path}");
    }
    assert!(prisma_models("").is_empty());
}

#[test]
fn broken_sources_do_not_panic() {
    let sources = [
        (
            "a.js",
            "const { Sequelize } = require('sequelize');\nsequelize.define('User', { email: ",
        ),
        (
            "a.ts",
            "import { Entity } from 'typeorm';\n@Entity()\nexport class User {\n  @Column(\n",
        ),
        (
            "a.js",
            "const mongoose = require('mongoose');\nconst s = new mongoose.Schema({ email: String,,, ",
        ),
        (
            "a.py",
            "from sqlalchemy import Column\nclass User(Base):\n    email = Column(\n",
        ),
        (
            "a.py",
            "from django.db import models\nclass A(models.Model):\n    x = models.CharField(\n",
        ),
        (
            "a.py",
            "from pydantic import BaseModel\nclass A(BaseModel):\n    x: \n",
        ),
        ("A.java", "@Entity\npublic class A {\n    private String x\n"),
        (
            "a.go",
            "package m\ntype A struct {\n\tgorm.Model\n\tX string `gorm:\"\n",
        ),
        (
            "db/schema.rb",
            "ActiveRecord::Schema.define do\n  create_table \"a\" do |t|\n    t.string\n",
        ),
        ("A.cs", "public class C : DbContext { public DbSet<"),
        ("a.ts", "export interface ADto { x: "),
    ];
    for (path, text) in sources {
        for end in 0..=text.len() {
            if let Some(prefix) = text.get(..end) {
                let _ = analyze(path, prefix);
            }
        }
    }
    let _ = prisma_models("model A {\n  x\n  @@\n}\n}\nmodel {\n");
}
