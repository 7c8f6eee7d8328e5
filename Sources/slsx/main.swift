print("slsx: not built yet")
