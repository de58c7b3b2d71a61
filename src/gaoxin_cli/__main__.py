from gaoxin_cli.cli import main

main()
