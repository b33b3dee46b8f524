"""GreenBuild: the green construction pilot programme platform (绿色建造试点管理平台)."""
