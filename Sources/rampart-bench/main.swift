// rampart-bench lands with the benchmark work.
print("rampart-bench")
