"""`tfpar-doctor server`: the findings of `check` in editors, over the Language Server Protocol.

`app.py` wires pygls (the only module that imports it); `documents.py` checks one open document the way
`check` does; `convert.py` turns findings into LSP diagnostics, hovers and code actions.
"""
