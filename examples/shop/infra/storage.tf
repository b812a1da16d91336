# Product images served to browsers.
resource "aws_s3_bucket" "product_images" {
  bucket = "shop-product-images"
}

resource "aws_s3_bucket_acl" "product_images" {
  bucket = aws_s3_bucket.product_images.id
  acl    = "public-read"
}

# Nightly exports of orders and customers for the analytics vendor.
resource "aws_s3_bucket" "customer_exports" {
  bucket = "shop-customer-exports"

  tags = {
    DataClassification = "pii"
  }
}

resource "aws_s3_bucket_policy" "customer_exports" {
  bucket = aws_s3_bucket.customer_exports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "VendorDownload"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject"]
      Resource  = "${aws_s3_bucket.customer_exports.arn}/*"
    }]
  })
}

# CloudTrail logs: private.
resource "aws_s3_bucket" "audit_logs" {
  bucket = "shop-audit-logs"
}

resource "aws_s3_bucket_public_access_block" "audit_logs" {
  bucket                  = aws_s3_bucket.audit_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
