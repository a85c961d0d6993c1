"""The Qt-free core: domain types, events, the hub, the journal, the site file, adapters' base."""
