resource "aws_security_group" "orders_db" {
  name        = "orders-db"
  description = "Orders database"

  ingress {
    description = "PostgreSQL from anywhere (temporary, for the migration)"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS health checks"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "orders" {
  identifier             = "shop-orders"
  engine                 = "postgres"
  engine_version         = "16.3"
  instance_class         = "db.t4g.medium"
  allocated_storage      = 50
  username               = "shop"
  manage_master_user_password = true
  publicly_accessible    = true
  storage_encrypted      = false
  vpc_security_group_ids = [aws_security_group.orders_db.id]

  tags = {
    DataClassification = "pci"
  }
}
