print("iopd")
