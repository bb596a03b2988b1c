import ArgumentParser

EchoBench.main()
