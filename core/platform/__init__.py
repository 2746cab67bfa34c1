"""The hosting admin's side: platform API and pages for provisioning tenants."""
