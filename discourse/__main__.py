from discourse.cli import main

main()
