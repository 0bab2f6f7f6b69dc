"""Order service: takes orders over HTTP, prices them against a catalog service, ships them."""
