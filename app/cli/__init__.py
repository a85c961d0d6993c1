"""The installer's sub-commands of `csu-console` (check-config, secret), Qt-free."""
