print("lstmcast-bench: not written yet")
