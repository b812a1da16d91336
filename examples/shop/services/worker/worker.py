"""Fulfilment worker (example code for vigil; not a real service)."""
import boto3
import yaml
from PIL import Image


def load_rates(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def thumbnail(source, target):
    with Image.open(source) as image:
        image.thumbnail((256, 256))
        image.save(target)


def archive_invoice(bucket, key, body):
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=body)
