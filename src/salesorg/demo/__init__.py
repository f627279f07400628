"""The demo company generator: `salesorg demo`; the product never imports it."""
