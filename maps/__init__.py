"""The live map: a folium page built once (page.py), fed batches by MapView (view.py).

Import ``maps.view`` for the widget. Qt-free: ``page`` (builds the page files), ``sources``
(tile sources of the site file), ``mbtiles`` (offline tiles). ``scheme`` serves MBTiles to
the page; ``console.js`` and ``tracks.js`` are the page's own modules.
"""
