"""The session as a code-free web app (Voilà), in separate parts as Voilà keeps them:

- `server`: the launcher (Voilà under `bewaakt`, the token guard of `toegang`, clean stops);
- `pagina`: the notebooks it serves, written from the kit's own (start page, one per session);
- `startpagina`: what the start page runs in its kernel (the sessions, a form for a new one);
- `fouten`: in every kernel of the app, one Dutch message instead of a traceback.
"""
