"""The property front desk (物业客服前台): S0-1 咨询服务管理制度 as a plugin (see plugin.py)."""
