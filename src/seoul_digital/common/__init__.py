"""Pure helpers shared by the engines. Nothing here imports Django or any app."""
