"""The live map: a folium page built once (page.py), fed batches by MapView (view.py).

Import ``maps.view`` for the widget; ``maps.page`` is Qt-free and builds the page files.
"""
