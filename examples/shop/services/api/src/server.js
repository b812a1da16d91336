// Storefront API (example code for vigil; not a real service).
const express = require("express");
const _ = require("lodash");

const app = express();
app.use(express.json());

app.get("/api/products", (req, res) => {
  res.json(_.sortBy(req.app.locals.products || [], "name"));
});

app.post("/api/checkout", (req, res) => {
  res.status(202).json({ accepted: true });
});

app.listen(process.env.PORT || 3000);
