resource "aws_iam_role" "invoice_renderer" {
  name = "invoice-renderer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "invoice_renderer" {
  name   = "invoice-renderer"
  role   = aws_iam_role.invoice_renderer.id
  policy = data.aws_iam_policy_document.invoice_renderer.json
}

data "aws_iam_policy_document" "invoice_renderer" {
  statement {
    effect    = "Allow"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_lambda_function" "invoice_renderer" {
  function_name = "invoice-renderer"
  role          = aws_iam_role.invoice_renderer.arn
  runtime       = "python3.12"
  handler       = "worker.render_invoice"
  filename      = "build/worker.zip"

  environment {
    variables = {
      EXPORT_BUCKET    = aws_s3_bucket.customer_exports.bucket
      CARRIER_API_KEY  = "shop-example-carrier-key-not-real"
      LOG_LEVEL        = "info"
    }
  }
}
