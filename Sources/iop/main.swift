print("iop: the terminal client is not built yet")
