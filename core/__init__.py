"""The ground floor: machinery every app shares and that depends on none of them."""
